"""docs/writing.md, "When a build fails" and "Metadata": one `make html` names every broken
post, each with its file, field and what is wrong; keys and dates are checked against the
table of metadata, and a link or image that leads nowhere is reported by the build."""

import pytest
from conftest import make_site

# A 1 × 1 PNG: the build reads every image's size, so it must be a real one.
TINY_PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489"
    "0000000d49444154789c6360606060000000050001a5f645400000000049454e44ae426082"
)
GOOD_POST = "Title: A good post\nDate: 2026-11-01\n\nMy own words.\n"
THREE_BROKEN_POSTS = {
    "posts/2026/ambiguous.md": "Title: Spring\nDate: 03/04/2026\n\nBody.\n",
    "posts/2026/typo.md": (
        "Title: A repost\nDate: 2026-11-02\nOrignal_author: Cheri Baker\n"
        "Original_site: The Enlightened Manager Blog\nOriginal_url: https://example.org/a\n\n"
        "> The excerpt.\n"
    ),
    "posts/2026/desk.md": "Title: My desk\nDate: 2026-11-03\n\n![My desk](/images/desk.jpg)\n",
}


def write_site(site, posts):
    for name, text in {"posts/2026/good.md": GOOD_POST, **posts}.items():
        path = site / "content" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(text, encoding="utf-8")


def lines_naming(log, name):
    return [line for line in log.splitlines() if name in line]


def test_three_broken_posts_are_all_named_in_one_run(tmp_path):
    write_site(tmp_path, THREE_BROKEN_POSTS)

    result = make_site("html", tmp_path)

    log = result.stdout + result.stderr
    assert result.returncode != 0
    assert any(
        "date: '03/04/2026' is ambiguous" in line and "2026-03-04" in line
        for line in lines_naming(log, "posts/2026/ambiguous.md")
    ), log
    typo_lines = lines_naming(log, "posts/2026/typo.md")
    assert any("'Orignal_author'" in line and "'Original_author'" in line for line in typo_lines)
    assert any("original_author: missing" in line for line in typo_lines), log
    assert any("/images/desk.jpg" in line for line in lines_naming(log, "posts/2026/desk.md"))
    assert not lines_naming(log, "good.md"), log
    assert "problem(s) in 3 file(s)" in log
    assert not (tmp_path / "output").exists()


def test_each_problem_is_printed_once(tmp_path):
    write_site(tmp_path, THREE_BROKEN_POSTS)

    log = make_site("html", tmp_path).stderr

    problem = "posts/2026/desk.md: links to /images/desk.jpg"
    assert log.count(problem) == 1, log
    # Pelican's own "Could not process" adds nothing the engine's line has not said.
    assert "Could not process" not in log


@pytest.mark.parametrize(
    ("written", "shown"),
    [
        ("2026-11-20", "2026-11-20T00:00:00-05:00"),
        ("2026-11-20 18:30", "2026-11-20T18:30:00-05:00"),
        ("2026-11-20T18:30:00+01:00", "2026-11-20T18:30:00+01:00"),
        ("2026-11-20 18:30Z", "2026-11-20T18:30:00+00:00"),
    ],
)
def test_iso_dates_are_accepted_in_the_sites_time_zone_or_their_own(tmp_path, written, shown):
    write_site(tmp_path, {"posts/2026/dated.md": f"Title: Dated\nDate: {written}\n\nBody.\n"})

    result = make_site("html", tmp_path)

    assert result.returncode == 0, result.stdout + result.stderr
    page = (tmp_path / "output" / "2026" / "11" / "dated" / "index.html").read_text("utf-8")
    assert f'datetime="{shown}"' in page


@pytest.mark.parametrize(
    ("written", "advice"),
    [
        ("03/04/2026", "write the date as 2026-03-04 (4 March 2026) or 2026-04-03 (3 April 2026)"),
        ("20/11/2026", "write it as 2026-11-20"),
        ("November 20, 2026", "write it as 2026-11-20"),
        ("soon", "write it as YYYY-MM-DD"),
        # The year first is never read day first: only one ISO form is offered.
        ("2026/03/04", "write it as 2026-03-04"),
        ("2026-3-4", "write it as 2026-03-04"),
        ("2026-03-04 2:30 PM", "write it as 2026-03-04 14:30"),
    ],
)
def test_other_date_forms_are_refused_with_the_iso_form_to_write(tmp_path, written, advice):
    write_site(tmp_path, {"posts/2026/dated.md": f"Title: Dated\nDate: {written}\n\nBody.\n"})

    result = make_site("html", tmp_path)

    assert result.returncode != 0
    assert any(
        f"date: '{written}'" in line and advice in line
        for line in lines_naming(result.stderr, "posts/2026/dated.md")
    ), result.stderr


def test_an_unknown_key_is_a_warning_naming_file_and_key(tmp_path):
    post = "Title: Mine\nDate: 2026-11-05\nHero_image: desk.png\n\nBody.\n"
    write_site(tmp_path, {"posts/2026/mine.md": post})

    result = make_site("html", tmp_path)

    assert result.returncode == 0, result.stderr
    assert any(
        line.startswith("WARNING") and "'Hero_image'" in line and "METADATA_EXTRA_KEYS" in line
        for line in lines_naming(result.stderr, "posts/2026/mine.md")
    ), result.stderr
    # FATAL=warnings makes it stop the build, as any warning does.
    assert make_site("html", tmp_path, "FATAL=warnings").returncode != 0


def test_metadata_extra_keys_lets_a_theme_have_its_own_keys(tmp_path):
    post = "Title: Mine\nDate: 2026-11-05\nHero_image: desk.png\n\nBody.\n"
    write_site(tmp_path, {"posts/2026/mine.md": post})

    result = make_site(
        "html", tmp_path, "FATAL=warnings", "PELICANOPTS=-e METADATA_EXTRA_KEYS='[\"hero_image\"]'"
    )

    assert result.returncode == 0, result.stderr
    assert "Hero_image" not in result.stderr


@pytest.mark.parametrize(
    ("typo", "meant"),
    [
        ("Orignal_title", "Original_title"),
        ("Via_ur1", "Via_url"),
        ("Tag", "Tags"),
        ("categroy", "Category"),
    ],
)
def test_a_misspelt_key_is_an_error_naming_the_key_meant(tmp_path, typo, meant):
    write_site(tmp_path, {"posts/2026/typo.md": f"Title: T\nDate: 2026-11-05\n{typo}: x\n\nB.\n"})

    result = make_site("html", tmp_path)

    assert result.returncode != 0
    assert f"posts/2026/typo.md: unknown key '{typo}' — did you mean '{meant}'?" in result.stderr


def test_broken_links_setting_makes_them_warnings(tmp_path):
    write_site(tmp_path, {"posts/2026/desk.md": THREE_BROKEN_POSTS["posts/2026/desk.md"]})

    result = make_site("html", tmp_path, "PELICANOPTS=-e BROKEN_LINKS='\"warning\"'")

    assert result.returncode == 0, result.stderr
    assert any(
        line.startswith("WARNING") and "/images/desk.jpg" in line
        for line in lines_naming(result.stderr, "posts/2026/desk.md")
    ), result.stderr


def test_links_and_images_that_exist_pass_in_both_forms(tmp_path):
    write_site(
        tmp_path,
        {
            "posts/2026/desk.md": (
                "Title: My desk\nDate: 2026-11-03\n\n![One]({static}/images/desk.png) "
                "![Two](/images/desk.png) [good](/2026/11/a-good-post/) [top](#my-desk)\n\n"
                "## My desk {#my-desk}\n"
            ),
            "images/desk.png": TINY_PNG,
        },
    )

    result = make_site("html", tmp_path)

    assert result.returncode == 0, result.stdout + result.stderr
    assert "desk" not in result.stderr
    page = (tmp_path / "output" / "2026" / "11" / "my-desk" / "index.html").read_text("utf-8")
    # {static} is resolved even though the summary (JSON-LD, feeds) is read from this post.
    assert page.count('src="/images/desk.png"') == 2


def test_control_characters_in_a_post_never_reach_the_terminal(tmp_path):
    post = "Title: Loud\nDate: 2026-11-03\n\n[red](/images/\x1b[31mred\x07.png)\n"
    write_site(tmp_path, {"posts/2026/loud.md": post})

    result = make_site("html", tmp_path)

    assert result.returncode != 0
    assert "\x1b" not in result.stderr + result.stdout
    assert "\x07" not in result.stderr + result.stdout
    assert any("\\x1b[31mred\\x07" in line for line in lines_naming(result.stderr, "loud.md"))


@pytest.mark.parametrize(
    ("setting", "value"),
    [("BROKEN_LINKS", '"sometimes"'), ("METADATA_EXTRA_KEYS", '"hero_image"')],
)
def test_a_bad_value_of_a_checking_setting_stops_the_build_naming_it(tmp_path, setting, value):
    write_site(tmp_path, {})

    result = make_site("html", tmp_path, f"PELICANOPTS=-e {setting}='{value}'")

    assert result.returncode != 0
    assert setting in result.stderr, result.stderr
    assert not (tmp_path / "output").exists()
