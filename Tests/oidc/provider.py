"""A real OpenID Connect provider for the tests: django-oidc-provider (PyPI) in one process.

Started by the test command, never assumed to be running. It keeps its database, RSA key and
templates in a temporary folder, creates the users and the client it is told to, prints
`ready <issuer>` on stdout, and serves on loopback until it is killed.

    python3 Tests/oidc/provider.py --port 8123 --client-id refgate --client-secret s3cret \
        --redirect-uri https://127.0.0.1:9443/signin/oidc/callback \
        --user jordan@manchester.example:password123
"""

import argparse
import json
import os
import sys
import tempfile
import threading


def userinfo(claims, user):
    claims["email"] = user.email
    claims["email_verified"] = True
    claims["name"] = user.get_full_name() or user.username
    return claims


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--client-id", required=True)
    parser.add_argument("--client-secret", required=True)
    parser.add_argument("--redirect-uri", required=True, action="append")
    parser.add_argument("--user", action="append", default=[], help="email:password")
    parser.add_argument("--ready-file", help="where to write {issuer, kid} once serving")
    args = parser.parse_args()

    # The test that started it holds stdin; when it closes (or the test dies), stop.
    def watch_stdin():
        try:
            while sys.stdin.buffer.read(1):
                pass
        finally:
            os._exit(0)

    if not sys.stdin.isatty():
        threading.Thread(target=watch_stdin, daemon=True).start()

    folder = tempfile.mkdtemp(prefix="refgate-oidc-")
    templates = os.path.join(folder, "templates", "registration")
    os.makedirs(templates)
    with open(os.path.join(templates, "login.html"), "w") as f:
        f.write(
            "<!DOCTYPE html><html><head><title>Council sign-in</title></head><body><h1>Council sign-in</h1>"
            '<form method="post">{% csrf_token %}'
            '<label for="id_username">User</label><input id="id_username" name="username">'
            '<label for="id_password">Password</label><input id="id_password" name="password" type="password">'
            '<input type="hidden" name="next" value="{{ next }}">'
            '<button type="submit" id="provider-sign-in">Sign in</button></form></body></html>'
        )
    site = f"http://127.0.0.1:{args.port}"

    import django
    from django.conf import settings

    settings.configure(
        DEBUG=False,
        SECRET_KEY=os.urandom(32).hex(),
        ALLOWED_HOSTS=["127.0.0.1", "localhost"],
        ROOT_URLCONF=__name__,
        INSTALLED_APPS=[
            "django.contrib.auth",
            "django.contrib.contenttypes",
            "django.contrib.sessions",
            "oidc_provider",
        ],
        MIDDLEWARE=[
            "django.contrib.sessions.middleware.SessionMiddleware",
            "django.middleware.csrf.CsrfViewMiddleware",
            "django.contrib.auth.middleware.AuthenticationMiddleware",
        ],
        TEMPLATES=[
            {
                "BACKEND": "django.template.backends.django.DjangoTemplates",
                "DIRS": [os.path.join(folder, "templates")],
                "APP_DIRS": True,
                "OPTIONS": {"context_processors": ["django.template.context_processors.request"]},
            }
        ],
        DATABASES={"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": os.path.join(folder, "db.sqlite3")}},
        USE_TZ=True,
        SITE_URL=site,
        LOGIN_URL="/accounts/login/",
        OIDC_LOGIN_URL="/accounts/login/",
        OIDC_IDTOKEN_INCLUDE_CLAIMS=True,
        OIDC_USERINFO="__main__.userinfo",
        OIDC_SKIP_CONSENT_EXPIRE=1,
    )
    django.setup()

    from django.contrib.auth import views as auth_views
    from django.urls import include, path

    from django.http import HttpResponse
    from django.views.decorators.csrf import csrf_exempt

    @csrf_exempt
    def rotate(request):
        # The provider rotates its signing key: a new one published, the old one withdrawn.
        from oidc_provider.models import RSAKey

        old = list(RSAKey.objects.all())
        call_command("creatersakey", stdout=open(os.devnull, "w"))
        for key in old:
            key.delete()
        return HttpResponse(RSAKey.objects.first().kid)

    global urlpatterns
    urlpatterns = [
        path("test/rotate-keys", rotate),
        path("accounts/login/", auth_views.LoginView.as_view()),
        path("openid/", include("oidc_provider.urls", namespace="oidc_provider")),
    ]
    sys.modules[__name__].urlpatterns = urlpatterns

    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("creatersakey", stdout=open(os.devnull, "w"))
    from django.contrib.auth.models import User
    from oidc_provider.models import Client, ResponseType

    for spec in args.user:
        email, password = spec.split(":", 1)
        User.objects.create_user(username=email, email=email, password=password, first_name=email.split("@")[0])
    client = Client.objects.create(
        name="refgate",
        client_type="confidential",
        client_id=args.client_id,
        client_secret=args.client_secret,
        jwt_alg="RS256",
        require_consent=False,
        reuse_consent=True,
        _redirect_uris="\n".join(args.redirect_uri),
        _scope="openid email profile",
    )
    client.response_types.add(ResponseType.objects.get(value="code"))

    from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server
    from socketserver import ThreadingMixIn
    from django.core.wsgi import get_wsgi_application

    class Server(ThreadingMixIn, WSGIServer):
        daemon_threads = True

    class Quiet(WSGIRequestHandler):
        def log_message(self, *a):
            pass

    server = make_server("127.0.0.1", args.port, get_wsgi_application(), server_class=Server, handler_class=Quiet)
    from oidc_provider.models import RSAKey

    if args.ready_file:
        with open(args.ready_file + ".tmp", "w") as f:
            json.dump({"issuer": f"{site}/openid", "kid": RSAKey.objects.first().kid}, f)
        os.rename(args.ready_file + ".tmp", args.ready_file)
    print(f"ready {site}/openid", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
