from django.contrib.auth.views import LoginView
from django.http import HttpResponsePermanentRedirect, JsonResponse
from django.templatetags.static import static
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_safe

from outagedesk.health import health_report
from outagedesk.ratelimit import client_address, rate_limit_count, rate_limit_hit


@require_GET
@never_cache
def healthz(request):
    report = health_report()
    return JsonResponse(report, status=200 if report["ok"] else 503)


class ThrottledLoginView(LoginView):
    """Login with a per-address and per-username throttle against password guessing."""

    template_name = "registration/login.html"
    max_failures = 10
    window_seconds = 900

    def post(self, request, *args, **kwargs):
        username = request.POST.get("username", "")[:150].lower()
        keys = [f"login:addr:{client_address(request)}", f"login:user:{username}"]
        if any(rate_limit_count(k) >= self.max_failures for k in keys):
            form = self.get_form()
            form.add_error(None, _("Too many failed attempts. Try again in 15 minutes."))
            response = self.form_invalid(form)
            response.status_code = 429
            return response
        return super().post(request, *args, **kwargs)

    def form_invalid(self, form):
        if self.request.method == "POST":
            username = self.request.POST.get("username", "")[:150].lower()
            for key in (
                f"login:addr:{client_address(self.request)}",
                f"login:user:{username}",
            ):
                rate_limit_hit(key, self.window_seconds)
        return super().form_invalid(form)


@require_safe
def favicon(request):
    """Browsers ask for /favicon.ico whatever the page links: send them to the real icon
    (resolved per request, so the hashed name of a collected static file is used)."""
    return HttpResponsePermanentRedirect(static("favicon.svg"))
