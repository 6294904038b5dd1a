"""README: the receiver answers every request a hostile peer can make with a 4xx or 2xx and
a reason, never a 5xx, under the development server and under gunicorn alike: odd
charsets, missing or lying headers, control and bidi characters, bad paths and methods."""

import socket
import xml.etree.ElementTree as ET
import xmlrpc.client
from urllib.parse import quote, urlsplit

import pytest
from blogs import POST_URL, SLUG, running_gunicorn, running_receiver, stored

FORM = "application/x-www-form-urlencoded"
TB = f"/trackback/{SLUG}"
GOOD_TB = b"url=http%3A%2F%2Felsewhere.example%2Freply&title=T&blog_name=B"


def raw(base, request):
    """Send `request` (bytes, a whole HTTP/1.0 request) as is; (status, headers, body)."""
    parts = urlsplit(base)
    answer = b""
    with socket.create_connection((parts.hostname, parts.port), timeout=30) as sock:
        try:
            sock.sendall(request)
            sock.shutdown(socket.SHUT_WR)
            while chunk := sock.recv(65536):
                answer += chunk
        except (ConnectionResetError, BrokenPipeError):
            # A server may answer and close before reading a request it refuses whole;
            # the answer, if any arrived, is what counts.
            pass
    if not answer:
        return 0, {}, b"(no answer)"
    head, _, body = answer.partition(b"\r\n\r\n")
    status_line, *header_lines = head.decode("latin-1").split("\r\n")
    headers = {}
    for line in header_lines:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    return int(status_line.split()[1]), headers, body


def request(method, path, body=b"", headers=None, *, length=True):
    """The bytes of one request; Content-Length is the body's unless `headers` names one."""
    headers = dict(headers or {})
    if length and body is not None and "Content-Length" not in headers:
        headers["Content-Length"] = str(len(body))
    lines = [
        f"{method} {path} HTTP/1.0",
        "Host: 127.0.0.1",
        *(f"{k}: {v}" for k, v in headers.items()),
    ]
    head = "\r\n".join(lines).encode("latin-1") + b"\r\n\r\n"
    return head + (body or b"")


def form(path, body, charset=None, **headers):
    content_type = FORM + (f"; charset={charset}" if charset else "")
    return request("POST", path, body, {"Content-Type": content_type, **headers})


def webmention(source, target, **kwargs):
    body = f"source={quote(source, safe='')}&target={quote(target, safe='')}".encode()
    return form("/webmention", body, **kwargs)


def pingback(body, **headers):
    return request("POST", "/webmention", body, {"Content-Type": "text/xml", **headers})


def pingback_call(source, target):
    return xmlrpc.client.dumps((source, target), "pingback.ping").encode()


# (name, request, the statuses it may get): every one must be answered, with no 5xx.
HOSTILE = [
    ("charset base64", form(TB, b"url=http://127.0.0.1:1/x", "base64"), {400}),
    ("charset rot13", form(TB, b"url=http://127.0.0.1:1/x", "rot13"), {400}),
    ("charset hex", form(TB, b"url=http://127.0.0.1:1/x", "hex"), {400}),
    ("charset zlib", form(TB, b"url=http://127.0.0.1:1/x", "zlib"), {400}),
    ("charset unicode_escape", form(TB, GOOD_TB + b"&x=%5Cud800", "unicode_escape"), {400}),
    ("charset raw_unicode_escape", form(TB, GOOD_TB, "raw_unicode_escape"), {400}),
    ("charset idna", form(TB, GOOD_TB, "idna"), {400}),
    ("charset punycode", form(TB, GOOD_TB, "punycode"), {400}),
    ("charset undefined", form(TB, GOOD_TB, "undefined"), {400}),
    ("charset utf-7", form(TB, GOOD_TB, "utf-7"), {400}),
    ("charset unknown", form(TB, GOOD_TB, "klingon"), {400}),
    ("charset empty", form(TB, GOOD_TB, '""'), {200}),
    ("charset utf-16, odd bytes", form(TB, GOOD_TB, "utf-16"), {400}),
    ("charset utf-8, bad bytes", form(TB, b"url=http://e.example/\xff\xfe", "utf-8"), {400}),
    ("lone surrogate escaped", form(TB, GOOD_TB + b"&title=%ED%A0%80", "utf-8"), {400}),
    ("no Content-Type", request("POST", TB, GOOD_TB), {415}),
    ("text/plain", request("POST", TB, GOOD_TB, {"Content-Type": "text/plain"}), {415}),
    ("multipart", request("POST", TB, GOOD_TB, {"Content-Type": "multipart/form-data"}), {415}),
    ("Content-Length -1", form(TB, GOOD_TB, **{"Content-Length": "-1"}), {400}),
    ("Content-Length +5", form(TB, GOOD_TB, **{"Content-Length": "+5"}), {400}),
    ("Content-Length 1_0", form(TB, GOOD_TB, **{"Content-Length": "1_0"}), {400}),
    ("Content-Length word", form(TB, GOOD_TB, **{"Content-Length": "ten"}), {400, 411}),
    ("Content-Length huge", form(TB, GOOD_TB, **{"Content-Length": "9" * 30}), {400, 413}),
    ("no Content-Length", request("POST", TB, GOOD_TB, {"Content-Type": FORM}, length=False),
     {411}),
    ("body shorter than said", form(TB, b"url=http", **{"Content-Length": "60"}), {400}),
    ("chunked", request("POST", TB, b"5\r\nurl=h\r\n0\r\n\r\n",
                        {"Content-Type": FORM, "Transfer-Encoding": "chunked"}, length=False),
     {400, 411}),
    ("slug with %01", form("/trackback/a%01b", GOOD_TB), {404}),
    ("slug with markup", form("/trackback/%3Cscript%3E", GOOD_TB), {404}),
    ("slug not UTF-8", form("/trackback/%ff%fe", GOOD_TB), {404}),
    ("slug with bidi", form("/trackback/%E2%80%AEevil", GOOD_TB), {404}),
    ("slug very long", form("/trackback/" + "a" * 3000, GOOD_TB), {404, 414}),
    ("empty slug", form("/trackback/", GOOD_TB), {404}),
    ("dot dot slug", form("/trackback/..%2f..%2fetc%2fpasswd", GOOD_TB), {404}),
    ("GET trackback", request("GET", TB, None), {405}),
    ("PUT webmention", form("/webmention", GOOD_TB).replace(b"POST", b"PUT", 1), {405}),
    ("OPTIONS trackback", request("OPTIONS", TB, None), {405}),
    ("POST /", form("/", GOOD_TB), {404}),
    ("no url", form(TB, b"title=no+url"), {400}),
    ("javascript url", form(TB, b"url=javascript%3Aalert(1)"), {400}),
    ("url with escape", form(TB, b"url=http%3A%2F%2Fe.example%2F%1B%5D0%3BPWNED%07"), {200, 400}),
    ("url with bidi", form(TB, b"url=http%3A%2F%2Fe.example%2F%E2%80%AEfdp.exe"), {200, 400}),
    ("url bad IPv6", form(TB, b"url=http%3A%2F%2F%5B%3A%3A1"), {400}),
    ("url port out of range", form(TB, b"url=http%3A%2F%2Fe.example%3A99999%2F"), {400}),
    ("url port not a number", form(TB, b"url=http%3A%2F%2Fe.example%3Aab%2F"), {400}),
    ("url no host", form(TB, b"url=http%3A%2F%2F%2Fpath"), {400}),
    ("url with spaces", form(TB, b"url=http%3A%2F%2Fe.example%2Fa+b"), {400}),
    ("bad percent escape", form(TB, b"url=http%3A%2F%2Fe.example%2F%zz"), {200, 400}),
    ("NUL bytes", form(TB, b"url=http%3A%2F%2Fe.example%2F%00&title=\x00\x00"), {200, 400}),
    ("too many fields", form(TB, b"&".join(b"f%d=" % n for n in range(40))), {400}),
    ("field without =", form(TB, b"url&title&&&"), {400}),
    ("duplicate fields", form(TB, GOOD_TB + b"&url=http%3A%2F%2Fother.example%2F"), {200}),
    ("oversize", form(TB, b"url=http%3A%2F%2Fe.example%2F&excerpt=" + b"x" * 5000), {413}),
    ("bidi blog name", form(TB, GOOD_TB + b"&blog_name=%E2%80%AEevil"), {200}),
    ("webmention target with query", webmention("https://a.example/r", POST_URL + "?utm=1"),
     {202}),
    ("webmention target no slash", webmention("https://b.example/r", POST_URL.rstrip("/")),
     {202}),
    ("webmention not ours", webmention("https://a.example/r", "https://other.example/"), {400}),
    ("webmention ftp source", webmention("ftp://a.example/r", POST_URL), {400}),
    ("webmention same", webmention(POST_URL, POST_URL + "#frag"), {400}),
    ("webmention no fields", form("/webmention", b""), {400}),
    ("pingback not XML", pingback(b"url=http://e.example/"), {200}),
    ("pingback DOCTYPE", pingback(b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]>'
                                  b"<methodCall><methodName>&a;</methodName></methodCall>"),
     {200}),
    ("pingback methodResponse", pingback(xmlrpc.client.dumps(("x",), methodresponse=True)
                                         .encode()), {200}),
    ("pingback Content-Length -1", pingback(pingback_call("https://e.example/", POST_URL),
                                            **{"Content-Length": "-1"}), {400}),
    ("pingback short body", pingback(b"<methodCall>", **{"Content-Length": "500"}), {400}),
    ("pingback control characters", pingback(pingback_call("https://e.example/\x1b]0;X\x07",
                                                           POST_URL)), {200}),
    ("pingback bidi target", pingback(pingback_call("https://f.example/",
                                                    POST_URL + "\u202e")), {200}),
    ("pingback one param", pingback(xmlrpc.client.dumps(("https://e.example/",),
                                                        "pingback.ping").encode()), {200}),
    ("X-Forwarded-For garbage", form(TB, GOOD_TB, **{"X-Forwarded-For": "\x01, ::"}), {200, 400}),
]  # fmt: skip


@pytest.fixture(params=["wsgiref", "gunicorn"])
def receiver(request, receiver_settings):
    serve = running_receiver if request.param == "wsgiref" else running_gunicorn
    with serve(receiver_settings) as base:
        yield base


def test_no_hostile_request_gets_a_5xx(receiver, receiver_settings):
    assert len(HOSTILE) >= 40
    wrong = []
    for name, hostile, expected in HOSTILE:
        status, headers, body = raw(receiver, hostile)
        if status not in expected:
            wrong.append((name, status, body[:200]))
            continue
        if status >= 400:
            assert body.strip(), name  # every refusal says why
        if headers.get("content-type", "").startswith("text/xml"):
            ET.fromstring(body)  # well-formed, whatever the slug held
    assert wrong == []
    for ping in stored(receiver_settings):
        for field in ("source", "target", "title", "excerpt", "blog_name"):
            assert not any(ord(c) < 32 or 0x7F <= ord(c) <= 0x9F for c in ping[field])
            assert not set(ping[field]) & set(
                "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
            )
