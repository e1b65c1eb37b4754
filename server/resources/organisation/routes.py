"""The organisation: every staff member reads it; admins change it."""

from flask.views import MethodView

from server.extensions.smorest import Blueprint
from server.resources.organisation.schemas import OrganisationSchema, OrganisationUpdateSchema
from server.services import organisation
from server.web.security import current_actor
from shared.vocab import Role

blp = Blueprint("organisation", __name__, url_prefix="/api/v1", description="The organisation")


@blp.route("/organisation")
class Organisation(MethodView):
    @blp.login_required()
    @blp.response(200, OrganisationSchema)
    def get(self):
        """The caller's organisation: name, country, language and time zone"""
        return organisation.get_organisation(current_actor())

    @blp.login_required(Role.ADMIN)
    @blp.arguments(OrganisationUpdateSchema)
    @blp.response(200, OrganisationSchema)
    def patch(self, data):
        """Change the name, country (public holidays), language or time zone (admin)"""
        return organisation.update_organisation(current_actor(), data)
