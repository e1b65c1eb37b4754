def test_health(anonymous):
    response = anonymous.get("/health")
    assert response.status_code == 200
    assert response.json == {"status": "ok", "database": "ok"}


def test_world_builds(world, as_user):
    api = as_user(world.facilitator)
    response = api.get("/participants")
    assert response.status_code == 200
    assert [p["id"] for p in response.json] == [str(world.participant_a1.id)]
