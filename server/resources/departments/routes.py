"""Departments (avdelinger): admins manage them; staff see their own."""

from flask.views import MethodView

from server.extensions.smorest import Blueprint, paginated
from server.resources.departments.schemas import (
    DepartmentQuerySchema,
    DepartmentSchema,
    DepartmentUpdateSchema,
)
from server.services import organisation
from server.web.security import current_actor
from shared.vocab import Role

blp = Blueprint("departments", __name__, url_prefix="/api/v1", description="Departments")


@blp.route("/departments")
class Departments(MethodView):
    @blp.login_required()
    @blp.arguments(DepartmentQuerySchema, location="query")
    @blp.response(200, DepartmentSchema(many=True))
    @blp.paginate()
    def get(self, filters, pagination_parameters):
        """The departments the caller works in (all of them for an admin)"""
        return paginated(
            pagination_parameters, organisation.list_departments, current_actor(), filters
        )

    @blp.login_required(Role.ADMIN)
    @blp.arguments(DepartmentSchema)
    @blp.response(201, DepartmentSchema)
    def post(self, data):
        """Create a department (admin)"""
        return organisation.create_department(current_actor(), data)


@blp.route("/departments/<uuid:department_id>")
class DepartmentItem(MethodView):
    @blp.login_required()
    @blp.response(200, DepartmentSchema)
    def get(self, department_id):
        """One department"""
        return organisation.get_department(current_actor(), department_id)

    @blp.login_required(forbidden="Only admins change departments")
    @blp.arguments(DepartmentUpdateSchema)
    @blp.response(200, DepartmentSchema)
    def patch(self, data, department_id):
        """Rename a department or set its time zone (admin)"""
        return organisation.update_department(current_actor(), department_id, data)
