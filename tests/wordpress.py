"""A real WordPress as the peer blog: Debian's `wordpress` package, served by PHP's built-in
server on 127.0.0.1, its database a MariaDB of its own on a Unix socket in a test's folder.

`make test` installs the packages (.ci/test_programs.sh); without them the tests that use
this fail, never skip. Nothing here writes outside the test's folder: Debian's
/usr/share/wordpress is served as it is, and its wp-config.php (which reads the site's
settings from /etc/wordpress) is bypassed by defining ABSPATH first, in a file PHP prepends
to every script, as a folder of our own: links to Debian's files, and our wp-config.php.

WordPress is told, in a must-use plugin of the test's own, what a peer on one machine needs:
- fetch 127.0.0.1 and localhost on any port: its safe fetches refuse loopback hosts
  (`http_request_host_is_external`) and ports other than 80, 443 and 8080
  (`http_allowed_safe_ports`), by design, against server-side request forgery;
- send nothing off the machine (WP_HTTP_BLOCK_EXTERNAL, no Ping-o-Matic, no mail);
- pings on and unmoderated, no comment flood check (a second ping within 15 s is refused).
"""

import getpass
import os
import shutil
import signal
import socket
import subprocess
import textwrap
import time
from contextlib import ExitStack, contextmanager, suppress
from pathlib import Path

WORDPRESS = Path("/usr/share/wordpress")
PACKAGES = "wordpress php-cli php-mysql php-xml mariadb-server"
# One worker deadlocks when WordPress requests its own pages (cron, its loopback checks).
PHP_WORKERS = "4"
STARTUP_SECONDS = 30

MU_PLUGIN = """<?php
// The test peer's settings (tests/wordpress.py): loopback fetches, nothing leaves the
// machine, pings unmoderated.
function reblog_test_is_loopback($host) {
    return in_array($host, array('127.0.0.1', 'localhost'), true);
}
add_filter('http_request_host_is_external', function ($external, $host) {
    return $external || reblog_test_is_loopback($host);
}, 10, 2);
add_filter('http_allowed_safe_ports', function ($ports, $host, $url) {
    $port = parse_url($url, PHP_URL_PORT);
    if ($port && reblog_test_is_loopback($host)) {
        $ports[] = $port;
    }
    return $ports;
}, 10, 3);
add_filter('pre_wp_mail', '__return_false');
add_filter('pre_option_ping_sites', '__return_empty_string');
remove_action('check_comment_flood', 'check_comment_flood_db');
"""

INSTALL = """
require_once ABSPATH . 'wp-admin/includes/upgrade.php';
$installed = wp_install('Peer Blog', 'admin', 'admin@peer.invalid', false, '', 'peer-password');
// blog_public=0 (above: no search engines, no Ping-o-Matic) also switches pingbacks off.
update_option('default_pingback_flag', 1);
update_option('default_ping_status', 'open');
update_option('default_comment_status', 'open');
update_option('comment_moderation', 0);
update_option('comment_previously_approved', 0);
update_option('comments_notify', 0);
update_option('moderation_notify', 0);
echo $installed['user_id'];
"""


class WordPressError(Exception):
    """WordPress or its database did not start, or a PHP script failed."""


def free_port():
    """A TCP port of 127.0.0.1 nothing listens on now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class WordPress:
    """A running WordPress: its address, PHP run inside it, SQL against its database."""

    def __init__(self, folder, url, socket_path):
        self.folder = folder
        self.url = url
        self.socket = socket_path
        self._scripts = 0

    def php(self, code, *, installing=False, timeout=60):
        """Run PHP `code` with WordPress loaded (as a page of the site would); its output."""
        self._scripts += 1
        script = self.folder / f"script-{self._scripts}.php"
        prologue = [
            "<?php",
            f"require {php_string(self.folder / 'prepend.php')};",
            "define('WP_INSTALLING', true);" if installing else "",
            "require ABSPATH . 'wp-load.php';",
        ]
        script.write_text("\n".join(prologue) + "\n" + code, encoding="utf-8")
        result = subprocess.run(
            ["php", str(script)], capture_output=True, text=True, timeout=timeout, check=False
        )
        if result.returncode != 0 or "Fatal error" in result.stdout:
            raise WordPressError(f"{script} failed:\n{result.stdout}\n{result.stderr}")
        return result.stdout

    def publish(self, title, html):
        """Publish a post as its author would; (post id, its address)."""
        answer = self.php(
            f"""
            $id = wp_insert_post(array(
                'post_title' => {php_string(title)}, 'post_content' => {php_string(html)},
                'post_status' => 'publish', 'post_author' => 1,
            ), true);
            if (is_wp_error($id)) {{ echo 'ERROR ' . $id->get_error_message(); exit(1); }}
            echo $id . ' ' . get_permalink($id);
            """
        )
        post_id, url = answer.split()
        return int(post_id), url

    def send_pings(self):
        """What WordPress's cron does after a post is published (its `do_pings` event):
        pingbacks to the pages the post links to, trackbacks to its "Send trackbacks to".

        Called from PHP, not through wp-cron.php: that script loads WordPress only when
        ABSPATH is not yet defined, and here prepend.php defines it for every request.
        """
        self.php("do_all_pings();")

    def sql(self, query):
        """Rows of a query against WordPress's database, each a tuple of strings."""
        result = subprocess.run(
            ["mariadb", "--no-defaults", f"--socket={self.socket}", "-N", "-B", "wordpress"],
            input=query,
            capture_output=True,
            text=True,
            timeout=30,
            check=True,
        )
        return [tuple(line.split("\t")) for line in result.stdout.splitlines()]


def php_string(value):
    """`value` as a PHP single-quoted string literal."""
    return "'" + str(value).replace("\\", "\\\\").replace("'", "\\'") + "'"


def check_installed():
    """WordPressError naming the packages when any part is missing."""
    needed = [WORDPRESS / "wp-load.php", Path("/usr/sbin/mariadbd")]
    if not all(path.exists() for path in needed) or not shutil.which("php"):
        raise WordPressError(f"WordPress is not installed: `make test` installs {PACKAGES}")
    modules = subprocess.run(["php", "-m"], capture_output=True, text=True, check=True).stdout
    for module, package in (("mysqli", "php-mysql"), ("xml", "php-xml")):
        if module not in modules.split():
            raise WordPressError(f"PHP has no {module} module: apt-get install {package}")


@contextmanager
def running_wordpress(folder):
    """A fresh WordPress in `folder` (a short path: a Unix socket's is at most 107 bytes),
    installed and serving on 127.0.0.1 until the block ends, then stopped with every
    process it started."""
    check_installed()
    folder = Path(folder)
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    run = folder / "run"
    run.mkdir(parents=True)
    with ExitStack() as stack:
        sock = stack.enter_context(running_mariadb(folder / "db", run))
        write_site(folder, url, sock)
        server = start(
            ["php", "-S", f"127.0.0.1:{port}", "-t", str(WORDPRESS),
             "-d", f"auto_prepend_file={folder / 'prepend.php'}"],
            run / "php.log",
            env={**os.environ, "PHP_CLI_SERVER_WORKERS": PHP_WORKERS},
        )  # fmt: skip
        stack.callback(stop, server)
        wait_for(lambda: _listening(port), server, run / "php.log")
        wordpress = WordPress(folder, url, sock)
        wordpress.php(INSTALL, installing=True)
        yield wordpress


@contextmanager
def running_mariadb(datadir, run):
    """A MariaDB server on a Unix socket only, no network, with a `wordpress` database; the
    user running the tests is its administrator (unix_socket authentication)."""
    user = getpass.getuser()
    installed = subprocess.run(
        ["mariadb-install-db", "--no-defaults", f"--user={user}", f"--datadir={datadir}",
         "--auth-root-authentication-method=socket", "--skip-test-db"],
        capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    if installed.returncode:
        raise RuntimeError(f"mariadb-install-db failed:\n{installed.stdout}{installed.stderr}")
    sock = run / "mysqld.sock"
    server = start(
        ["/usr/sbin/mariadbd", "--no-defaults", f"--user={user}", f"--datadir={datadir}",
         f"--socket={sock}", f"--pid-file={run / 'mysqld.pid'}", "--skip-networking",
         f"--log-error={run / 'mysqld.err'}",
         # A few posts and comments: small buffers, and a redo log of 8 MB, not 96 MB.
         "--innodb-buffer-pool-size=16M", "--innodb-log-file-size=8M"],
        run / "mysqld.out",
    )  # fmt: skip
    try:
        wait_for(sock.exists, server, run / "mysqld.err")
        subprocess.run(
            ["mariadb", "--no-defaults", f"--socket={sock}", "-e", "CREATE DATABASE wordpress"],
            capture_output=True, text=True, timeout=30, check=True,
        )  # fmt: skip
        yield sock
    finally:
        stop(server)


def write_site(folder, url, sock):
    """The WordPress folder (ABSPATH), its wp-config.php, the prepended file and the
    must-use plugin: all in `folder`."""
    site = folder / "wordpress"
    site.mkdir()
    for entry in WORDPRESS.iterdir():
        if entry.name != "wp-config.php":
            (site / entry.name).symlink_to(entry)
    (folder / "mu-plugins").mkdir()
    (folder / "mu-plugins" / "reblog-test-peer.php").write_text(MU_PLUGIN, encoding="utf-8")
    host = url.removeprefix("http://")
    config = {
        "DB_NAME": "wordpress",
        "DB_USER": getpass.getuser(),
        "DB_PASSWORD": "",
        "DB_HOST": f"localhost:{sock}",
        "DB_CHARSET": "utf8mb4",
        "WP_HOME": url,
        "WP_SITEURL": url,
        "WP_CONTENT_DIR": str(WORDPRESS / "wp-content"),
        "WPMU_PLUGIN_DIR": str(folder / "mu-plugins"),
        "WP_HTTP_BLOCK_EXTERNAL": True,
        # Pings go when the test asks (WordPress.send_pings), not on a page view.
        "DISABLE_WP_CRON": True,
        "AUTOMATIC_UPDATER_DISABLED": True,
    }
    lines = [
        f"define('{name}', {php_string(value) if isinstance(value, str) else 'true'});"
        for name, value in config.items()
    ]
    (site / "wp-config.php").write_text(
        "<?php\n" + "\n".join(lines) + "\n$table_prefix = 'wp_';\n"
        "require_once ABSPATH . 'wp-settings.php';\n",
        encoding="utf-8",
    )
    (folder / "prepend.php").write_text(
        textwrap.dedent(
            f"""\
            <?php
            // Before any script of WordPress: our folder is ABSPATH, so wp-load.php reads our
            // wp-config.php, not Debian's. A command-line script names the host a page would.
            if (!defined('ABSPATH')) {{ define('ABSPATH', {php_string(str(site) + "/")}); }}
            if (PHP_SAPI === 'cli') {{ $_SERVER['HTTP_HOST'] = {php_string(host)}; }}
            """
        ),
        encoding="utf-8",
    )


def start(command, log, env=None):
    """Start `command` in a process group of its own, its output to `log`."""
    with open(log, "wb") as output:
        return subprocess.Popen(
            command,
            stdout=output,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            env=env,
            start_new_session=True,
        )


def stop(process):
    """End `process` and everything in its group (PHP's workers outlive their master)."""
    try:
        os.killpg(process.pid, signal.SIGTERM)
    except ProcessLookupError:
        return
    with suppress(subprocess.TimeoutExpired):
        process.wait(timeout=10)
    with suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)
    process.wait()


def wait_for(ready, process, log):
    """Wait until `ready()`; WordPressError with the log's end if `process` died or took
    longer than STARTUP_SECONDS."""
    deadline = time.monotonic() + STARTUP_SECONDS
    while not ready():
        if process.poll() is not None or time.monotonic() > deadline:
            tail = Path(log).read_text(errors="replace")[-2000:] if Path(log).exists() else ""
            raise WordPressError(f"{process.args[0]} did not start:\n{tail}")
        time.sleep(0.05)


def _listening(port):
    with socket.socket() as probe:
        return probe.connect_ex(("127.0.0.1", port)) == 0
