"""Signs in at the test OpenID Connect provider as a person would, without a browser: follows an
authorization URL, fills the provider's login form, and prints where the provider sends the
browser back (the node's callback with `code` and `state`). Exits 1 if the provider refuses.

    python3 Tests/oidc/login.py AUTHORIZATION_URL EMAIL PASSWORD
"""

import http.cookiejar
import re
import sys
import urllib.error
import urllib.parse
import urllib.request


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def main():
    url, email, password = sys.argv[1:4]
    jar = http.cookiejar.CookieJar()
    follow = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    stay = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), NoRedirect())
    page = follow.open(url, timeout=10)
    login_url = page.geturl()
    html = page.read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
    nxt = re.search(r'name="next" value="([^"]*)"', html).group(1).replace("&amp;", "&")
    form = urllib.parse.urlencode(
        {"csrfmiddlewaretoken": token, "username": email, "password": password, "next": nxt}
    ).encode()
    request = urllib.request.Request(login_url, data=form, headers={"Referer": login_url})
    location = None
    for _ in range(5):
        try:
            stay.open(request, timeout=10)
            print("the provider did not redirect (wrong password?)", file=sys.stderr)
            sys.exit(1)
        except urllib.error.HTTPError as redirect:
            if redirect.code not in (301, 302, 303):
                raise
            location = urllib.parse.urljoin(login_url, redirect.headers["Location"])
        if not location.startswith(("http://127.0.0.1", "http://localhost")) or "/signin/oidc/callback" in location:
            break
        request = urllib.request.Request(location)
    print(location)


if __name__ == "__main__":
    main()
