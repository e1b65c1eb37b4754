"""One page of a query and the total it is a page of."""

from dataclasses import dataclass

from sqlalchemy import Select, func, select

from server.database import db


@dataclass(frozen=True)
class Window:
    offset: int
    limit: int


def one_page(stmt: Select, window: Window, *order_by, rows: bool = False) -> tuple[list, int]:
    """(items, total): entities, or whole rows with ``rows=True``. The count runs over the
    unordered statement as a subquery, which is right for joins too."""
    total = db.session.scalar(select(func.count()).select_from(stmt.order_by(None).subquery()))
    paged = stmt.order_by(*order_by).offset(window.offset).limit(window.limit)
    result = db.session.execute(paged) if rows else db.session.scalars(paged)
    return list(result.all()), total
