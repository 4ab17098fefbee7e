from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from outagedesk import views
from outagedesk.login_policy import ThrottledAuthenticationForm

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    # Browsers ask for /favicon.ico whatever the page says: send them to the real icon.
    path("favicon.ico", views.favicon, name="favicon"),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(
            template_name="registration/login.html",
            authentication_form=ThrottledAuthenticationForm,
        ),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("newsroom/", include("newsroom.urls")),
    path("moderation/", include("comments.urls")),
    # Reader-facing endpoints of each app, at the site root.
    path("", include("incidents.urls")),
    path("", include("public.urls")),
]
# The pages readers read, one address per language: /fr/…, /en/…. An unprefixed address (old
# links, emails, feeds, the banner) redirects to the reader's best language.
urlpatterns += i18n_patterns(
    path("", include("public.urls_pages")),
    path("", include("comments.urls_public")),
    path("", include("notifications.urls")),
)

handler403 = "outagedesk.errors.permission_denied"
handler404 = "outagedesk.errors.page_not_found"
handler500 = "outagedesk.errors.server_error"
