"""The page where a participant answers a survey with their code, on their own phone:
``/s/``. One HTML page with a small script that calls the public endpoints
(``/api/v1/public/...``); no login, no cookie, and the code never in a URL the server sees
(it comes in the address's fragment, ``/s/#ABCD-EFGH``, or is typed)."""
