"""Groups (arbeidsgrupper / grupper) of a department: its staff see them, its leader and
the admins make and change them; and a participant's groups over time."""

from flask.views import MethodView

from server.extensions.smorest import Blueprint, paginated
from server.resources.groups.schemas import (
    GroupQuerySchema,
    GroupSchema,
    GroupUpdateSchema,
    MembershipSchema,
)
from server.services import groups
from server.web.security import current_actor

blp = Blueprint("groups", __name__, url_prefix="/api/v1", description="Groups")


@blp.route("/departments/<uuid:department_id>/groups")
class DepartmentGroups(MethodView):
    @blp.login_required()
    @blp.arguments(GroupQuerySchema, location="query")
    @blp.response(200, GroupSchema(many=True))
    @blp.paginate()
    def get(self, filters, department_id, pagination_parameters):
        """The department's groups, by name"""
        return paginated(
            pagination_parameters, groups.list_groups, current_actor(), department_id, filters
        )

    @blp.login_required(forbidden="Only leaders and admins make groups")
    @blp.arguments(GroupSchema)
    @blp.response(201, GroupSchema)
    def post(self, data, department_id):
        """Make a group in the department (leader, admin)"""
        return groups.create_group(current_actor(), department_id, data)


@blp.route("/groups/<uuid:group_id>")
class GroupItem(MethodView):
    @blp.login_required()
    @blp.response(200, GroupSchema)
    def get(self, group_id):
        """One group"""
        return groups.get_group(current_actor(), group_id)

    @blp.login_required(forbidden="Only leaders and admins change groups")
    @blp.arguments(GroupUpdateSchema)
    @blp.response(200, GroupSchema)
    def patch(self, data, group_id):
        """Rename a group, name who is responsible, or close it (leader, admin)"""
        return groups.update_group(current_actor(), group_id, data)


@blp.get("/participants/<uuid:participant_id>/groups")
@blp.login_required()
@blp.response(200, MembershipSchema(many=True))
def participant_groups(participant_id):
    """The participant's groups over time, the current one first"""
    return groups.group_history(current_actor(), participant_id)
