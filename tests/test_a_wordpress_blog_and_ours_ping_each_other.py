"""docs/linkbacks.md: linkbacks work both ways with WordPress, the engine most blogs run.
A WordPress post linking ours sends its pingback, which our receiver stores and verifies
and the post then shows; our `make ping` for a post citing a WordPress post sends a
pingback that WordPress lists as a comment of that post.

The peer is Debian's WordPress, on 127.0.0.1 (tests/wordpress.py). By design WordPress
fetches nothing on a loopback address or an unusual port; its must-use plugin, in the
test's folder, allows exactly that with WordPress's documented filters.
"""

import pytest
from blogs import running_receiver, stored
from conftest import NETWORKING_POST, build_into, serve_folder
from wordpress import running_wordpress

from reblog.linkbacks.cli import main
from reblog.linkbacks.verify import verify_pending
from reblog.settings import read

# Drives programs outside Python (PHP, MariaDB): `make test-fast` leaves this file out.
pytestmark = pytest.mark.outside

WORDPRESS_POST_TITLE = "Networking, seen from a WordPress blog"


@pytest.fixture(scope="module")
def wordpress(tmp_path_factory):
    with running_wordpress(tmp_path_factory.mktemp("wp")) as peer:
        yield peer


def test_wordpress_and_our_blog_ping_each_other(tmp_path, wordpress):
    output = tmp_path / "site" / "output"
    output.mkdir(parents=True)
    receiver = {
        "PATH": str(tmp_path / "site" / "content"),  # its manifest: the build's
        "LINKBACKS_VERIFY_IN_BACKGROUND": False,  # pending until this test verifies
    }
    with serve_folder(output) as site_url, running_receiver(receiver) as receiver_url:
        post_url = f"{site_url}/{NETWORKING_POST.removesuffix('index.html')}"
        wp_id, wp_url = wordpress.publish(
            WORDPRESS_POST_TITLE,
            f'<p>RLW takes apart <a href="{post_url}">a networking myth</a>. Worth a read.</p>',
        )
        citing = (
            "Title: A WordPress blog on networking\nDate: 2020-01-01\nSlug: citing\n"
            f"Summary: A reply.\n\nA [WordPress blog]({wp_url}) read it too.\n"
        )
        build = {
            "SITEURL": site_url,
            "TRACKBACK_URL": f"{receiver_url}/trackback/{{slug}}",
            "WEBMENTION_URL": f"{receiver_url}/webmention",
            "LINKBACKS_DB": str(read(receiver)["LINKBACKS_DB"]),
        }
        build_into(tmp_path, {"citing.md": citing}, build)

        # (a) WordPress pings us, as its cron does after a post is published.
        wordpress.send_pings()
        [ping] = stored(receiver)
        assert (ping["kind"], ping["state"]) == ("pingback", "pending")
        assert (ping["source"], ping["target"]) == (wp_url, post_url)
        conf = read({**receiver, "LINKBACKS_ALLOW_PRIVATE": True})
        assert verify_pending(conf, report=lambda line: None)[:2] == (1, 0)
        page = build_into(tmp_path, {"citing.md": citing}, build, name="again")
        [shown] = page.html(NETWORKING_POST).select("section.linkbacks li.linkback")
        assert shown.a["href"] == wp_url
        assert WORDPRESS_POST_TITLE in shown.a.get_text()

        # (b) We ping WordPress: reblog-linkbacks ping (make ping), for the citing post.
        settings_file = tmp_path / "ping.py"
        settings_file.write_text(
            f"PATH = {str(tmp_path / 'site' / 'content')!r}\nLINKBACKS_ALLOW_PRIVATE = True\n"
        )
        assert main(["-s", str(settings_file), "ping", "citing"]) == 0
        citing_url = f"{site_url}/2020/01/citing/"
        comments = wordpress.sql(
            "SELECT comment_type, comment_author_url, comment_approved FROM wp_comments "
            f"WHERE comment_post_ID = {wp_id}"
        )
        assert comments == [("pingback", citing_url, "1")]
