"""Every page links the theme's icon, and /favicon.ico, the address browsers ask for anyway,
is a real icon at the site's root: no 404 in the server's log."""

import struct
from urllib.parse import urljoin, urlsplit
from xml.etree import ElementTree

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def icon_images(data):
    """The (width, height, format) of each image in an ICO file; AssertionError if it is not one."""
    reserved, kind, count = struct.unpack_from("<HHH", data, 0)
    assert (reserved, kind) == (0, 1), "not an ICO file"
    assert count >= 1
    images = []
    for number in range(count):
        width, height, _, _, _, _, size, offset = struct.unpack_from(
            "<BBBBHHII", data, 6 + 16 * number
        )
        image = data[offset : offset + size]
        assert len(image) == size > 0, f"image {number} runs past the end of the file"
        if image.startswith(PNG_SIGNATURE):
            assert image[12:16] == b"IHDR"
            # An entry's 0 means 256 pixels.
            assert struct.unpack(">II", image[16:24]) == (width or 256, height or 256)
            images.append((width or 256, height or 256, "png"))
        else:  # a BMP without its file header: a BITMAPINFOHEADER, twice the height (mask)
            header_size, bmp_width, bmp_height = struct.unpack_from("<Iii", image, 0)
            assert header_size == 40
            assert (bmp_width, bmp_height) == (width or 256, 2 * (height or 256))
            images.append((width or 256, height or 256, "bmp"))
    return images


def test_favicon_ico_at_the_root_is_a_real_icon(published_site):
    images = icon_images(published_site.path("favicon.ico").read_bytes())
    assert (32, 32) in [(width, height) for width, height, _ in images]


def test_every_page_links_an_svg_icon_and_the_ico_that_exist(published_site):
    output = published_site.output
    pages = published_site.html_files()
    assert len(pages) > 10
    for page_file in pages:
        relative = page_file.relative_to(output)
        icons = published_site.html(relative).select('link[rel~="icon"]')
        assert {icon.get("type") for icon in icons} >= {"image/svg+xml"}, relative
        for icon in icons:
            url = urljoin(f"{published_site.url}/{relative}", icon["href"])
            assert url.startswith(published_site.url + "/"), url
            target = published_site.path(urlsplit(url).path.lstrip("/"))
            assert target.is_file(), f"{relative} links {url}, which is not built"
            if icon.get("type") == "image/svg+xml":
                svg = ElementTree.fromstring(target.read_bytes())
                assert svg.tag == "{http://www.w3.org/2000/svg}svg"
                assert svg.get("viewBox")
            else:
                assert icon_images(target.read_bytes())
