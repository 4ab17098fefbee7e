"""Staff roles and the permission helper every staff view uses.

Roles are groups created by a data migration: editor, moderator, admin. Superusers and members of
`admin` pass every role check.
"""

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied

EDITOR = "editor"
MODERATOR = "moderator"
ADMIN = "admin"
ROLES = (EDITOR, MODERATOR, ADMIN)


def user_roles(user) -> set[str]:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return set()
    cached = getattr(user, "_outagedesk_roles", None)
    if cached is None:
        cached = set(user.groups.filter(name__in=ROLES).values_list("name", flat=True))
        if user.is_superuser:
            cached.add(ADMIN)
        user._outagedesk_roles = cached
    return cached


def has_role(user, *roles: str) -> bool:
    """True when the user holds one of `roles`; admins hold every role."""
    held = user_roles(user)
    return ADMIN in held or bool(held.intersection(roles))


def role_required(*roles: str) -> Callable:
    """View decorator: anonymous users go to the login page, others without the role get 403."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not has_role(request.user, *roles):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        # Read by the URL-walking access test; typeshed gives functions no free attributes.
        wrapper.required_roles = roles  # type: ignore[attr-defined]
        return wrapper

    return decorator
