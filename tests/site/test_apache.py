"""The shipped site behind the usual shared host of institutes' sites: Debian's Apache,
reading only the `.htaccess` the build writes (as on a shared host, where the site's
owner may change nothing else), and behind nginx with deploy/nginx.conf.

A copy of the shipped site, with one news item renamed and its earlier address kept
in `aliases:`, is built for the sub-path /ir/ of a free port. Apache runs with a
configuration, prefix and logs of its own in a temporary folder (never the system's):
`Alias /ir/` to the built folder and `AllowOverride All`, nothing else of the site's.
The earlier address must answer 301 with the new one (the redirect page is there for
hosts without redirects), missing addresses the 404 page of their language, and
every answer the security and caching headers of sitegen/hosting.py.

Without Apache (`apt-get install apache2`) the tests are skipped and say why; when the
environment variable CI is set they fail instead, because CI must run them.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest

from conftest import ROOT, SITEMAP_NS, address, soup, unavailable
from sitegen.config import load_config
from sitegen.lib.diagnostics import Diagnostics
from sitegen.hosting import IMMUTABLE, SHORT, security_headers
from test_nginx import NGINX, SNIPPET, answers, fetch, free_port, nginx_conf

pytestmark = pytest.mark.external("apache2", "nginx")

APACHE = Path(os.environ.get("APACHE_PATH", "/usr/sbin/apache2"))
MODULES = Path("/usr/lib/apache2/modules")
PREFIX = "/ir/"
RENAMED = "content/news/kaznua-memorandum"  # the item whose address changes
OLD, NEW = "memorandum-kaznua", "kaznua-memorandum"  # its earlier and its current name
TIMEOUT = 10




def _stop(process: subprocess.Popen, sig=signal.SIGTERM) -> None:
    if process.poll() is None:
        process.send_signal(sig)
        try:
            process.wait(timeout=TIMEOUT)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _wait(process: subprocess.Popen, port: int, what: str, log: Path) -> None:
    deadline = time.monotonic() + TIMEOUT
    while not answers(port):
        if process.poll() is not None or time.monotonic() > deadline:
            pytest.fail(f"{what} did not start (status {process.poll()}):\n"
                        f"{log.read_text(errors='replace') if log.exists() else ''}", pytrace=False)
        time.sleep(0.05)


@pytest.fixture(scope="module")
def built():
    """A copy of the shipped project whose Memorandum news item was renamed, built for
    http://127.0.0.1:PORT/ir/, in a folder every user may read (Apache's children run as
    www-data)."""
    folder = Path(tempfile.mkdtemp(prefix="hosts-"))
    os.chmod(folder, 0o755)
    project = folder / "project"
    for name in ("content", "data", "templates", "static"):
        shutil.copytree(ROOT / name, project / name)
    for lang in ("uz", "en"):
        old = project / f"{RENAMED}.{lang}.md"
        text = old.read_text(encoding="utf-8")
        assert text.startswith("---\n")
        (old.parent / f"{NEW}.{lang}.md").write_text(
            text.replace("---\n", f"---\naliases: [/{lang}/news/{OLD}/]\n", 1), encoding="utf-8")
    port = free_port()
    origin = f"http://127.0.0.1:{port}"
    site = folder / "site"
    done = subprocess.run([sys.executable, str(ROOT / "build.py"), "build", "--root", str(project),
                           "--out", str(site), "--base-url", origin + PREFIX, "--quiet"],
                          capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, f"the build failed:\n{done.stdout}\n{done.stderr}"
    for path in [site, *site.rglob("*")]:
        os.chmod(path, 0o755 if path.is_dir() else 0o644)
    yield folder, site, port, origin
    shutil.rmtree(folder, ignore_errors=True)


def apache_conf(folder: Path, site: Path, port: int) -> str:
    modules = ["mpm_event", "authz_core", "mime", "dir", "alias", "headers", "setenvif"]
    loads = "\n".join(f"LoadModule {name}_module {MODULES / f'mod_{name}.so'}" for name in modules)
    user = "User www-data\nGroup www-data\n" if os.geteuid() == 0 else ""
    return f"""ServerRoot {folder}
ServerName 127.0.0.1
Listen 127.0.0.1:{port}
PidFile {folder / 'apache.pid'}
ErrorLog {folder / 'error.log'}
LogLevel warn
{loads}
{user}TypesConfig /etc/mime.types
DocumentRoot {folder / 'www'}
<Directory />
    AllowOverride None
    Require all denied
</Directory>
Alias {PREFIX} {site}/
<Directory {site}>
    AllowOverride All
    Require all granted
</Directory>
"""


@pytest.fixture(scope="module", params=["apache", "nginx"])
def host(request, built):
    folder, site, port, origin = built
    work = folder / request.param
    work.mkdir()
    (work / "www").mkdir()
    if request.param == "apache":
        if not (APACHE.is_file() and os.access(APACHE, os.X_OK)):
            unavailable(f"Apache is not installed ({APACHE} missing): apt-get install apache2")
        conf = work / "apache.conf"
        conf.write_text(apache_conf(work, site, port), encoding="utf-8")
        os.chmod(work, 0o755)
        command = [str(APACHE), "-d", str(work), "-f", str(conf), "-DFOREGROUND"]
        checked = subprocess.run([*command[:-1], "-t"], capture_output=True, text=True, timeout=TIMEOUT)
        assert checked.returncode == 0, f"Apache rejects the configuration:\n{checked.stderr}"
        log = work / "error.log"
    else:
        if not (NGINX.is_file() and os.access(NGINX, os.X_OK)):
            unavailable(f"nginx is not installed ({NGINX} missing): apt-get install nginx")
        text = SNIPPET.read_text(encoding="utf-8").replace("/srv/www/ir-site/", f"{site}/")
        (work / "site.conf").write_text(text, encoding="utf-8")
        conf = work / "nginx.conf"
        conf.write_text(nginx_conf(work, port, work / "site.conf"), encoding="utf-8")
        command = [str(NGINX), "-p", str(work), "-c", str(conf), "-e", str(work / "error.log")]
        log = work / "error.log"
    with open(work / "server.out", "wb") as out:
        process = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT)
    try:
        _wait(process, port, request.param, log)
        yield request.param, site, origin
    finally:
        _stop(process, signal.SIGWINCH if request.param == "apache" else signal.SIGTERM)
        _stop(process)


@pytest.fixture(scope="module")
def config():
    return load_config(ROOT, Diagnostics(ROOT))


@pytest.mark.parametrize("lang", ["uz", "en"])
@pytest.mark.parametrize("slash", ["/", ""])
def test_an_earlier_address_answers_301_with_the_new_one(host, lang, slash):
    _, site, origin = host
    answer = fetch(f"{origin}{PREFIX}{lang}/news/{OLD}{slash}")
    assert answer.status == 301, answer.status
    location = answer.headers.get("location", "")
    new = address.document(lang, "news", NEW)
    assert location in (address.href(new, origin + PREFIX), address.absolute(new, origin + PREFIX)), location
    assert fetch(address.absolute(new, origin + PREFIX)).status == 200


def test_the_redirect_page_is_there_for_hosts_without_redirects(built):
    _, site, _, origin = built
    page = soup((site / f"uz/news/{OLD}/index.html").read_bytes())
    new = address.document("uz", "news", NEW)
    link = address.href(new, origin + PREFIX)
    assert page.find("meta", attrs={"http-equiv": "refresh"})["content"] == f"0; url={link}"
    assert page.find("link", rel="canonical")["href"] == address.absolute(new, origin + PREFIX)
    assert page.find("meta", attrs={"name": "robots"})["content"] == "noindex"
    assert page.find("a")["href"] == link
    assert page.html["lang"] == "uz"


@pytest.mark.parametrize("path, page", [
    ("no-such-page/", "404.html"),
    ("en/no-such/", address.file(address.not_found("en"))),
    ("uz/no-such/", address.file(address.not_found("uz"))),
    ("uz/news/no-such-item", address.file(address.not_found("uz"))),
])
def test_a_missing_address_answers_404_with_its_language_page(host, config, path, page):
    _, site, origin = host
    answer = fetch(origin + PREFIX + path)
    assert answer.status == 404
    assert answer.type == "text/html"
    assert answer.body == (site / page).read_bytes(), f"{path} did not get {page}"
    for name, value in security_headers(config.embed_hosts):
        assert answer.headers.get(name.lower()) == value, name


def test_every_page_of_the_sitemap_answers_200_with_the_headers(host, config):
    _, site, origin = host
    sitemap = fetch(f"{origin}{PREFIX}sitemap.xml")
    assert sitemap.status == 200 and sitemap.headers.get("cache-control") == SHORT
    urls = [loc.text for loc in ET.fromstring(sitemap.body).iter(f"{SITEMAP_NS}loc")]
    assert len(urls) > 50
    wrong = []
    for url in urls:
        answer = fetch(url)
        if answer.status != 200 or answer.type != "text/html" or answer.headers.get("cache-control") != SHORT:
            wrong.append(f"{url}: {answer.status} {answer.type} {answer.headers.get('cache-control')}")
        for name, value in security_headers(config.embed_hosts):
            if answer.headers.get(name.lower()) != value:
                wrong.append(f"{url}: {name}")
    assert wrong == [], "\n".join(wrong[:20])


def test_hashed_assets_are_cached_for_a_year(host):
    _, site, origin = host
    css = next((site / "assets").rglob("*.css")).relative_to(site).as_posix()
    answer = fetch(f"{origin}{PREFIX}{css}")
    assert answer.status == 200 and answer.type == "text/css"
    assert answer.headers.get("cache-control") == IMMUTABLE
