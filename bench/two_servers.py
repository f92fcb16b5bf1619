"""Benchmark: two app servers behind one address (issue 15). Two gunicorn processes, one nginx in front (Debian's,
installed if missing), one PostgreSQL, one Redis, media on S3-compatible storage (moto in server mode). It shows that
what one server does, the other sees:

- sessions: signed in through one server, signed in on the other; through the proxy, every request stays signed in;
- sign-in throttling: wrong passwords for one account, alternately on each server, are refused (429) after the
  configured number, counted once for both;
- rate limits: password-reset requests, alternately on each server, refused after the configured number;
- cache invalidation: a page cached by one server (the page cache, in Redis) shows a published change at once on the
  other;
- uploads: an image sent on the share form's image step through one server is shown, and readable, through the other.

It also reports the time per request of a page through the proxy and directly. Needs a PostgreSQL database of your
own with the demo content and a Redis database number of your own (see bench/load.py):

    .venv/bin/python bench/two_servers.py --database-url postgres://postgres@127.0.0.1:5432/bench \\
        --redis-url redis://127.0.0.1:6379/5 [--ports 8150-8159]
"""

import argparse
import http.cookiejar
import io
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
BUCKET = "participation-media"
MEMBER, PASSWORD = "bench-member", "bench-member-password-2026"

NGINX_CONF = """
daemon off;
worker_processes 1;
pid {tmp}/nginx.pid;
error_log {tmp}/nginx-error.log;
events {{ worker_connections 256; }}
http {{
    access_log off;
    client_body_temp_path {tmp}/body;
    proxy_temp_path {tmp}/proxy;
    fastcgi_temp_path {tmp}/fastcgi;
    uwsgi_temp_path {tmp}/uwsgi;
    scgi_temp_path {tmp}/scgi;
    client_max_body_size 50m;
    upstream app {{ server 127.0.0.1:{a}; server 127.0.0.1:{b}; }}
    server {{
        listen 127.0.0.1:{proxy};
        location / {{
            proxy_pass http://app;
            proxy_set_header Host $http_host;
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
            add_header X-Upstream $upstream_addr always;
        }}
    }}
}}
"""


def nginx_ensure():
    """Debian's nginx, installed if missing (as root)."""
    if shutil.which("nginx") or Path("/usr/sbin/nginx").exists():
        return shutil.which("nginx") or "/usr/sbin/nginx"
    print("Installing nginx (apt-get)…", flush=True)
    subprocess.run(["apt-get", "update", "-qq"], check=True)
    subprocess.run(
        ["apt-get", "install", "-y", "-qq", "nginx-light"],
        check=True,
        env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"},
    )
    return shutil.which("nginx") or "/usr/sbin/nginx"


def wait_for(url, seconds=120, accept=(200,)):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status in accept:
                    return
        except urllib.error.HTTPError as error:
            if error.code in accept:
                return
        except OSError:
            pass
        time.sleep(0.3)
    raise RuntimeError(f"{url} did not answer")


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Browser:
    """One person's cookies, sent to any of the addresses."""

    def __init__(self):
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar), NoRedirect())

    def open(self, url, data=None, files=None):
        headers = {"Referer": url}
        body = None
        if files:
            boundary = uuid.uuid4().hex
            parts = []
            for name, value in (data or {}).items():
                parts.append(
                    f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
                )
            for name, (filename, content) in files.items():
                parts.append(
                    f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
                    f"Content-Type: image/jpeg\r\n\r\n".encode()
                    + content
                    + b"\r\n"
                )
            body = b"".join(parts) + f"--{boundary}--\r\n".encode()
            headers["Content-Type"] = f"multipart/form-data; boundary={boundary}"
        elif data is not None:
            body = urllib.parse.urlencode(data, doseq=True).encode()
        try:
            with self.opener.open(urllib.request.Request(url, data=body, headers=headers), timeout=60) as response:
                return response.status, response.headers, response.read().decode(errors="replace")
        except urllib.error.HTTPError as error:
            return error.code, error.headers, error.read().decode(errors="replace")

    def csrf(self, url):
        _status, _headers, html = self.open(url)
        return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)


def prepare():
    """The member account, the pages used and valid answers to the share form's steps before the images."""
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.urls import reverse
    from django.utils import translation

    from participation.articles.models import ArticlePage
    from participation.core import models as vocabularies
    from participation.network.models import MembersAreaPage
    from participation.network.services import members_group_ensure
    from participation.submissions.models import SharePage

    user = get_user_model().objects.filter(username=MEMBER).first() or get_user_model()(username=MEMBER)
    user.email = "bench-member@example.org"
    user.set_password(PASSWORD)
    user.save()
    user.groups.add(members_group_ensure())
    with translation.override("fr"):
        urls = {
            "sign_in": reverse("network_sign_in"),
            "password_reset": reverse("network_password_reset"),
        }
    urls["members"] = MembersAreaPage.objects.live().get(locale__language_code="fr").url  # members only
    article = ArticlePage.objects.live().public().filter(locale__language_code="fr").first()
    share = SharePage.objects.live().get(locale__language_code="fr")

    def first(model):
        return str(model.objects.filter(locale__language_code="fr").first().pk)

    answers = {
        "about": {
            "title": "Deux serveurs (démo)",
            "summary": "Envoyée par le banc d'essai à deux serveurs.",
            "organisers": "Banc d'essai",
            "organiser_type": first(vocabularies.OrganiserType),
            "organiser_scope": "municipal",
            "status": "finished",
        },
        "place": {"communes": first(vocabularies.Commune), "latitude": "50.85", "longitude": "4.35"},
        "how": {"themes": first(vocabularies.Theme), "participation_level": first(vocabularies.ParticipationLevel)},
        "story": {"problems_objectives": "Vérifier deux serveurs."},
    }
    steps = {step: share.route_url("step", step=step) for step in [*answers, "images"]}
    return urls, article, steps, answers


def article_retitle(article, title):
    """What an editor does in the admin: publish a new revision (the page cache of every server is invalidated)."""
    revision = article.specific.save_revision()
    revision.content["title"] = title
    revision.save()
    revision.publish()


def jpeg():
    from PIL import Image

    output = io.BytesIO()
    Image.new("RGB", (90, 60), (200, 80, 20)).save(output, format="JPEG")
    return output.getvalue()


def check(label, ok, detail=""):
    print(f"{'ok  ' if ok else 'FAIL'} {label}{': ' + detail if detail else ''}", flush=True)
    return ok


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--redis-url", required=True)
    parser.add_argument("--ports", default="8150-8159", help="a range of free ports (four are used)")
    args = parser.parse_args()
    first_port = int(args.ports.split("-")[0])
    proxy_port, port_a, port_b, s3_port = first_port, first_port + 1, first_port + 2, first_port + 3
    s3_url = f"http://127.0.0.1:{s3_port}"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "DATABASE_URL": args.database_url,
        "REDIS_URL": args.redis_url,
        "BENCH_REDIS": "1",
        "BENCH_DATABASE_JOBS": "1",
        "PAGE_CACHE_SECONDS": "600",
        "S3_BUCKET_NAME": BUCKET,
        "S3_ENDPOINT_URL": s3_url,
        "S3_REGION_NAME": "eu-west-1",
        "S3_ACCESS_KEY_ID": "bench",
        "S3_SECRET_ACCESS_KEY": "bench",
        # The pending images of a shared initiative are private: the form shows them through signed addresses.
        "S3_QUERYSTRING_AUTH": "true",
        "PYTHONPATH": str(ROOT),
    }
    os.environ.update({name: env[name] for name in env if name.startswith(("S3_", "DJANGO_", "DATABASE_", "REDIS_"))})
    os.environ.update(BENCH_REDIS="1", PAGE_CACHE_SECONDS="600")
    nginx = nginx_ensure()
    tmp = Path(tempfile.mkdtemp(prefix="two-servers-"))
    processes = []
    try:
        processes.append(
            subprocess.Popen(
                [str(ROOT / ".venv/bin/moto_server"), "-H", "127.0.0.1", "-p", str(s3_port)],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
        )
        wait_for(f"{s3_url}/moto-api/", accept=(200, 404))
        import boto3

        s3 = boto3.client(
            "s3", endpoint_url=s3_url, region_name="eu-west-1", aws_access_key_id="x", aws_secret_access_key="x"
        )
        s3.create_bucket(Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": "eu-west-1"})
        import redis

        redis.Redis.from_url(args.redis_url).flushdb()
        urls, article, steps, answers = prepare()
        for port in (port_a, port_b):
            processes.append(
                subprocess.Popen(
                    [
                        str(ROOT / ".venv/bin/gunicorn"),
                        "config.wsgi",
                        "--bind",
                        f"127.0.0.1:{port}",
                        "--workers",
                        "2",
                        "--no-control-socket",
                        "--error-logfile",
                        str(tmp / f"gunicorn-{port}.log"),
                    ],
                    cwd=ROOT,
                    env=env,
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL,
                )
            )
        for directory in ("body", "proxy", "fastcgi", "uwsgi", "scgi"):
            (tmp / directory).mkdir()
        (tmp / "nginx.conf").write_text(NGINX_CONF.format(tmp=tmp, a=port_a, b=port_b, proxy=proxy_port))
        processes.append(subprocess.Popen([nginx, "-c", str(tmp / "nginx.conf"), "-p", str(tmp)]))
        a, b, proxy = (f"http://127.0.0.1:{port}" for port in (port_a, port_b, proxy_port))
        for base in (a, b, proxy):
            wait_for(base + "/healthz")
        results = []

        # Sessions.
        person = Browser()
        token = person.csrf(a + urls["sign_in"])
        status, _h, _p = person.open(
            a + urls["sign_in"], {"csrfmiddlewaretoken": token, "username": MEMBER, "password": PASSWORD}
        )
        on_b = person.open(b + urls["members"])[0]
        results.append(check("signed in on server A, signed in on server B", status == 302 and on_b == 200))
        upstreams, statuses = set(), []
        for _ in range(10):
            status, headers, _p = person.open(proxy + urls["members"])
            statuses.append(status)
            upstreams.add(headers.get("X-Upstream"))
        results.append(
            check(
                "through the proxy, 10 requests stay signed in",
                statuses == [200] * 10 and len(upstreams) == 2,
                f"answers {set(statuses)}, served by {sorted(upstreams)}",
            )
        )

        # Sign-in throttling, per account (one nobody used yet), shared.
        attacker, account = Browser(), f"bench-{uuid.uuid4().hex[:8]}"
        refused_at = None
        for attempt in range(1, 16):
            base = (a, b)[attempt % 2]
            token = attacker.csrf(base + urls["sign_in"])
            status = attacker.open(
                base + urls["sign_in"], {"csrfmiddlewaretoken": token, "username": account, "password": "wrong"}
            )[0]
            if status == 429:
                refused_at = attempt
                break
        limit = int(os.environ.get("NETWORK_SIGN_IN_RATE_PER_USERNAME", "10/h").split("/")[0])
        results.append(
            check(
                "wrong passwords alternately on A and B are refused after the limit for the account",
                refused_at == limit + 1,
                f"429 at attempt {refused_at} (limit {limit} an hour)",
            )
        )

        # Rate limits: password reset requests per address.
        asker = Browser()
        refused_at = None
        for attempt in range(1, 12):
            base = (a, b)[attempt % 2]
            token = asker.csrf(base + urls["password_reset"])
            status = asker.open(
                base + urls["password_reset"], {"csrfmiddlewaretoken": token, "email": f"x{attempt}@example.org"}
            )[0]
            if status == 429:
                refused_at = attempt
                break
        limit = int(os.environ.get("NETWORK_PASSWORD_RESET_RATE", "5/h").split("/")[0])
        results.append(
            check(
                "password-reset requests alternately on A and B are refused after the limit",
                refused_at == limit + 1,
                f"429 at attempt {refused_at} (limit {limit} an hour)",
            )
        )

        # Cache invalidation.
        visitor = Browser()
        old_title = article.title
        first = visitor.open(a + article.url)
        cached = visitor.open(b + article.url)
        new_title = f"{old_title} (mis à jour {uuid.uuid4().hex[:6]})"
        article_retitle(article, new_title)
        after = visitor.open(b + article.url)
        after_a = visitor.open(a + article.url)
        article_retitle(article, old_title)
        results.append(
            check(
                "a page cached by A and B shows a published change at once on both",
                old_title in first[2]
                and cached[1].get("X-Page-Cache") == "hit"
                and new_title in after[2]
                and new_title in after_a[2],
                f"page cache on B before the change: {cached[1].get('X-Page-Cache', 'no header')}",
            )
        )

        # Uploads.
        sharer = Browser()
        for step, values in answers.items():
            token = sharer.csrf((a, b)[len(step) % 2] + steps[step])
            sharer.open((a, b)[len(step) % 2] + steps[step], {**values, "csrfmiddlewaretoken": token})
        token = sharer.csrf(a + steps["images"])
        content = jpeg()
        sharer.open(
            a + steps["images"],
            {"csrfmiddlewaretoken": token, "alt_new_1": ""},
            files={"image_1": ("facade.jpg", content)},
        )
        status, _h, page = sharer.open(b + steps["images"])
        address = re.search(rf'src="(http://127\.0\.0\.1:{s3_port}/{BUCKET}/submissions/[^"]+)"', page)
        readable = address and urllib.request.urlopen(address.group(1).replace("&amp;", "&"), timeout=10).status
        results.append(
            check(
                "an image uploaded through A is shown by B and readable at its (signed) address",
                status == 200 and readable == 200,
                address.group(1)[:80] + "…" if address else "no image on B's page",
            )
        )

        # Time per request, through the proxy and directly (same run, same page, cached).
        def timed(url, count=40):
            values = []
            for _ in range(count):
                started = time.perf_counter()
                urllib.request.urlopen(url, timeout=30).read()
                values.append((time.perf_counter() - started) * 1000)
            return statistics.median(values)

        direct, through = [], []
        for _ in range(5):  # interleaved, so that both see the same load of the shared machine
            direct.append(timed(a + "/fr/", 10))
            through.append(timed(proxy + "/fr/", 10))
        direct, through = statistics.median(direct), statistics.median(through)
        print(
            f"home page (page cache hit), median: direct to one server {direct:.1f} ms, through nginx {through:.1f} ms "
            f"(ratio {through / direct:.2f})"
        )
    finally:
        for process in reversed(processes):
            process.terminate()
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
        shutil.rmtree(tmp, ignore_errors=True)
    return 0 if all(results) else 1


if __name__ == "__main__":
    sys.exit(main())
