"""Staff accounts (admin)."""

from flask.views import MethodView

from server.extensions.smorest import Blueprint, paginated
from server.resources.users.schemas import UserQuerySchema, UserSchema, UserUpdateSchema
from server.services import accounts
from server.web.security import current_actor
from shared.vocab import Role

blp = Blueprint("users", __name__, url_prefix="/api/v1", description="Staff accounts")


@blp.route("/users")
class Users(MethodView):
    @blp.login_required(Role.ADMIN)
    @blp.arguments(UserQuerySchema, location="query")
    @blp.response(200, UserSchema(many=True))
    @blp.paginate()
    def get(self, filters, pagination_parameters):
        """Staff accounts of the organisation"""
        return paginated(pagination_parameters, accounts.list_users, current_actor(), filters)

    @blp.login_required(Role.ADMIN)
    @blp.arguments(UserSchema)
    @blp.response(201, UserSchema)
    def post(self, data):
        """Create a staff account"""
        return accounts.create_user(current_actor(), data)


@blp.route("/users/<uuid:user_id>")
class UserItem(MethodView):
    @blp.login_required(Role.ADMIN)
    @blp.response(200, UserSchema)
    def get(self, user_id):
        """One staff account"""
        return accounts.get_user(current_actor(), user_id)

    @blp.login_required(Role.ADMIN)
    @blp.arguments(UserUpdateSchema)
    @blp.response(200, UserSchema)
    def patch(self, data, user_id):
        """Change, deactivate or reactivate a staff account"""
        return accounts.update_user(current_actor(), user_id, data)
