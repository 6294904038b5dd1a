"""docs/writing.md, "Incremental builds": after any sequence of edits, an incremental build's
output/ is byte for byte the output/ a full build of the same content makes.

A Hypothesis state machine edits a fixture site of its own (bodies, titles, dates,
summaries, a paragraph past the summary, categories, tags, draft and published, new, deleted
and renamed posts, a template, a setting, an image added, an image replaced by one of
another size) and after every step builds it twice: incrementally, with
the cache the earlier steps left, and in full into a folder of its own. The two must match,
and so must the linkback manifests they write.
"""

import shutil
import string
from pathlib import Path

from conftest import NETWORKING_CONTENT, SITES, assert_identical_trees, disconnect_plugins
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, precondition, rule
from PIL import Image

from reblog.build import build

ROOT_THEME = SITES.parent.parent / "theme"
CATEGORIES = ["Notes", "Careers", "Uncategorized"]
TAGS = ["networking", "careers", "books", "travel"]
WORDS = st.text(alphabet=string.ascii_lowercase + " ", min_size=3, max_size=30).map(str.strip)
EDIT_KINDS = set()  # every kind of edit the machine made, over all examples


def post_text(post):
    lines = [f"Title: {post['title']}", f"Date: {post['date']}", f"Slug: {post['slug']}"]
    if post["category"]:
        lines.append(f"Category: {post['category']}")
    if post["tags"]:
        lines.append(f"Tags: {', '.join(post['tags'])}")
    if post["summary"]:
        lines.append(f"Summary: {post['summary']}")
    if post["draft"]:
        lines.append("Status: draft")
    return "\n".join(lines) + "\n\n" + post["body"] + "\n"


def chooser(data):
    """Hypothesis picks which post an edit edits."""
    return lambda names: data.draw(st.sampled_from(names))


class EditsThenBuilds(RuleBasedStateMachine):
    """A blogger's edits, each followed by an incremental and a full build."""

    def __init__(self):
        super().__init__()
        self.folder = Path(self._tmp())
        self.posts = {}  # file name -> the post's fields
        self.counter = 0
        self.overrides = {"SITESUBTITLE": "A subtitle"}

    @staticmethod
    def _tmp():
        import tempfile  # noqa: PLC0415

        return tempfile.mkdtemp(prefix="incremental-")

    @property
    def content(self):
        return self.folder / "content"

    @initialize()
    def a_site_with_a_few_posts(self):
        shutil.copytree(NETWORKING_CONTENT, self.content)
        shutil.copytree(ROOT_THEME, self.folder / "theme")
        (self.content / "images").mkdir()
        for number in range(4):
            self.add(
                title=f"Post number {number}",
                date=f"2026-0{1 + number}-1{number} 09:00",
                category=CATEGORIES[number % 3],
                tags=TAGS[number : number + 2],
                body=f"Words of post {number}. See [the networking post]"
                "({filename}/posts/2007/networking-myth-versus-truth.md).",
            )
        self.build_both()

    def add(self, **fields):
        self.counter += 1
        name = f"posts/2026/post-{self.counter}.md"
        post = {"slug": f"post-{self.counter}", "summary": "", "draft": False, **fields}
        self.posts[name] = post
        self.write(name)
        return name

    def write(self, name):
        path = self.content / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(post_text(self.posts[name]), encoding="utf-8")

    def edit(self, kind, choose, change):
        """Apply `change` to the post `choose(names)` picks, and rewrite its file."""
        name = choose(sorted(self.posts))
        change(self.posts[name])
        self.write(name)
        EDIT_KINDS.add(kind)

    # Each kind of edit, with what it edits chosen by `choose(names)`: by Hypothesis in the
    # machine's rules below, by hand in test_every_kind_of_edit_in_turn.

    def edit_body(self, choose, words):
        self.edit("body", choose, lambda post: post.update(body=post["body"] + " " + words))

    def add_a_paragraph(self, choose, words):
        # Past the summary (SUMMARY_MAX_PARAGRAPHS = 1): the listings show the post as before.
        self.edit("paragraph", choose, lambda post: post.update(body=post["body"] + "\n\n" + words))

    def edit_title(self, choose, words):
        self.edit("title", choose, lambda post: post.update(title=words.title()))

    def edit_date(self, choose, month, day):
        self.edit("date", choose, lambda post: post.update(date=f"2025-{month:02d}-{day} 10:00"))

    def edit_summary(self, choose, words):
        self.edit("summary", choose, lambda post: post.update(summary=words))

    def edit_category(self, choose, category):
        self.edit("category", choose, lambda post: post.update(category=category))

    def edit_tags(self, choose, tags):
        self.edit("tags", choose, lambda post: post.update(tags=tags))

    def toggle_status(self, choose):
        self.edit("status", choose, lambda post: post.update(draft=not post["draft"]))

    def add_post(self, words, category):
        self.add(
            title=words.title(),
            date="2026-06-01 08:00",
            category=category,
            tags=[],
            body=f"A new post: {words}.",
        )
        EDIT_KINDS.add("add")

    def delete_post(self, choose):
        name = choose(sorted(self.posts))
        (self.content / name).unlink()
        del self.posts[name]
        EDIT_KINDS.add("delete")

    def rename_file(self, choose):
        name = choose(sorted(self.posts))
        self.counter += 1
        renamed = f"posts/2025/renamed-{self.counter}.md"
        (self.content / renamed).parent.mkdir(parents=True, exist_ok=True)
        (self.content / name).rename(self.content / renamed)
        self.posts[renamed] = self.posts.pop(name)
        EDIT_KINDS.add("rename")

    def change_template(self, words):
        template = self.folder / "theme" / "templates" / "base.html"
        text = template.read_text(encoding="utf-8")
        template.write_text(text.replace("</footer>", f"<!-- {words} --></footer>", 1))
        EDIT_KINDS.add("template")

    def change_setting(self, words):
        self.overrides["SITESUBTITLE"] = words
        EDIT_KINDS.add("setting")

    def add_image(self, choose, width):
        self.counter += 1
        image = f"images/figure-{self.counter}.png"
        Image.new("RGB", (width, 3), "teal").save(self.content / image)
        self.edit(
            "image",
            choose,
            lambda post: post.update(body=post["body"] + f"\n\n![A figure]({{static}}/{image})"),
        )

    def resize_image(self, choose, width):
        """Replace an image by another of another width, under the same name."""
        image = self.content / choose(sorted(self.images()))
        Image.new("RGB", (width, 5), "navy").save(image)
        EDIT_KINDS.add("resize image")

    def images(self):
        return [path.relative_to(self.content).as_posix() for path in self.content.glob("images/*")]

    # The rules: Hypothesis picks the edits, their order and what they edit.

    @rule(data=st.data(), words=WORDS)
    def edit_a_body(self, data, words):
        self.edit_body(chooser(data), words)

    @rule(data=st.data(), words=WORDS.filter(bool))
    def add_a_paragraph_to_a_body(self, data, words):
        self.add_a_paragraph(chooser(data), words)

    @rule(data=st.data(), words=WORDS.filter(bool))
    def edit_a_title(self, data, words):
        self.edit_title(chooser(data), words)

    @rule(data=st.data(), month=st.integers(1, 12), day=st.integers(10, 28))
    def edit_a_date(self, data, month, day):
        self.edit_date(chooser(data), month, day)

    @rule(data=st.data(), words=WORDS)
    def edit_a_summary(self, data, words):
        self.edit_summary(chooser(data), words)

    @rule(data=st.data(), category=st.sampled_from([*CATEGORIES, ""]))
    def edit_a_category(self, data, category):
        self.edit_category(chooser(data), category)

    @rule(data=st.data(), tags=st.lists(st.sampled_from(TAGS), max_size=3, unique=True))
    def edit_the_tags(self, data, tags):
        self.edit_tags(chooser(data), tags)

    @rule(data=st.data())
    def draft_or_publish(self, data):
        self.toggle_status(chooser(data))

    @rule(words=WORDS.filter(bool), category=st.sampled_from(CATEGORIES))
    def add_a_post(self, words, category):
        self.add_post(words, category)

    @precondition(lambda self: len(self.posts) > 1)
    @rule(data=st.data())
    def delete_a_post(self, data):
        self.delete_post(chooser(data))

    @rule(data=st.data())
    def rename_a_file(self, data):
        self.rename_file(chooser(data))

    @rule(words=WORDS)
    def change_a_template(self, words):
        self.change_template(words)

    @rule(words=WORDS.filter(bool))
    def change_a_setting(self, words):
        self.change_setting(words)

    @rule(data=st.data(), width=st.integers(2, 40))
    def add_an_image(self, data, width):
        self.add_image(chooser(data), width)

    @precondition(lambda self: self.images())
    @rule(data=st.data(), width=st.integers(2, 40))
    def resize_an_image(self, data, width):
        self.resize_image(chooser(data), width)

    def build_into(self, output, cache):
        disconnect_plugins()
        argv = [str(self.content), "-o", str(output), "-s", str(SITES / "pelicanconf.py")]
        overrides = {
            **self.overrides,
            "THEME": str(self.folder / "theme"),
            "LINKBACKS_MANIFEST": str(self.manifest_of(output)),
        }
        return build(argv, check=False, swap=True, overrides=overrides, cache=cache)

    def manifest_of(self, output):
        """The linkback manifest of a build into `output` (each build writes its own)."""
        return self.folder / "var" / f"{output.name}-linkbacks-manifest.json"

    def build_both(self):
        status = self.build_into(self.folder / "output", self.folder / "cache")
        assert status == 0
        full = self.folder / "full"
        shutil.rmtree(full, ignore_errors=True)
        assert self.build_into(full, None) == 0
        self.last_full = full

    @invariant()
    def the_incremental_output_is_the_full_builds(self):
        if not self.posts:
            return
        self.build_both()
        assert_identical_trees(self.folder / "output", self.last_full)
        incremental, full = (
            self.manifest_of(output) for output in (self.folder / "output", self.last_full)
        )
        assert incremental.read_bytes() == full.read_bytes()

    def teardown(self):
        shutil.rmtree(self.folder, ignore_errors=True)


# Derandomized: the same 25 sequences of up to 10 edits on every run.
EditsThenBuilds.TestCase.settings = settings(
    max_examples=25,
    stateful_step_count=10,
    derandomize=True,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
test_incremental_builds_equal_full_builds = EditsThenBuilds.TestCase


def test_every_kind_of_edit_in_turn():
    """Each kind of edit at least once, whatever sequences the machine drew."""
    machine = EditsThenBuilds()
    first, last = (lambda names: names[0]), (lambda names: names[-1])
    steps = [
        lambda: machine.edit_body(first, "more words"),
        lambda: machine.edit_title(last, "a new title"),
        lambda: machine.edit_date(first, 3, 15),
        lambda: machine.edit_summary(last, "a summary"),
        lambda: machine.edit_category(first, "Careers"),
        lambda: machine.edit_tags(last, ["travel"]),
        lambda: machine.toggle_status(first),
        lambda: machine.add_post("a brand new post", "Notes"),
        lambda: machine.rename_file(last),
        lambda: machine.add_image(first, 17),
        lambda: machine.resize_image(first, 23),
        lambda: machine.add_a_paragraph(last, "a paragraph past the summary"),
        lambda: machine.delete_post(first),
        lambda: machine.change_setting("another subtitle"),
        lambda: machine.change_template("a new footer"),
        lambda: machine.toggle_status(last),
    ]
    try:
        machine.a_site_with_a_few_posts()
        for step in steps:
            step()
            machine.the_incremental_output_is_the_full_builds()
    finally:
        machine.teardown()
    assert {
        "body",
        "title",
        "date",
        "summary",
        "category",
        "tags",
        "status",
        "add",
        "delete",
        "rename",
        "template",
        "setting",
        "image",
        "resize image",
        "paragraph",
    } <= EDIT_KINDS
