# Pelican's quickstart Makefile, plus a self-installing .venv and the project's own targets.
# The engine's commands (reblog-build, reblog-check, reblog-linkbacks, reblog-repost) are
# console scripts of the reblog package, installed into .venv with it.
PY ?= $(shell command -v python3.11 || command -v python3)
VENV ?= $(CURDIR)/.venv
PELICAN ?= $(VENV)/bin/pelican
PYTHON ?= $(VENV)/bin/python
PELICANOPTS ?=
# html and publish build beside output/ and swap it in only after a complete build without
# an error (FATAL=warnings: nor a warning); one run lists every problem, post by post.
BUILD ?= "$(VENV)/bin/reblog-build"
FATAL ?= errors

# A command's options are make variables (make repost SLUG=x is reblog-repost --slug x; its
# --help lists them): make puts the variables given on its command line into the command's
# environment, unquoted, and this tells the command to read them there and to name them so
# in its messages. ARGS="..." passes the rest of a command's arguments.
export REBLOG_INVOKED_AS = make
ARGS ?=

BASEDIR = $(CURDIR)
INPUTDIR = $(BASEDIR)/content
OUTPUTDIR = $(BASEDIR)/output
CONFFILE = $(BASEDIR)/pelicanconf.py
PUBLISHCONF = $(BASEDIR)/publishconf.py
# What html, serve and devserver keep from one build for the next, which then re-reads and
# re-writes only what changed (docs/writing.md, "Incremental builds"); FULL=1 ignores it.
# It lives in var/ beside the content folder, with the rest of the site's state.
CACHEDIR = $(abspath $(INPUTDIR)/..)/var/build-cache
FULL ?= 0
INCREMENTAL = --cache "$(CACHEDIR)"
ifeq ($(FULL), 1)
	INCREMENTAL += --full
endif

DEBUG ?= 0
ifeq ($(DEBUG), 1)
	PELICANOPTS += -D
endif

RELATIVE ?= 0
ifeq ($(RELATIVE), 1)
	PELICANOPTS += --relative-urls
endif

POSTS ?= 1000
RUNS ?= 3
BENCHOPTS ?=

# Trackbacks and Webmentions: the receiver, moderation and sending (reblog.linkbacks).
# --path: the content folder decides where var/ and the ledger are (INPUTDIR's parent).
LINKBACKS = "$(VENV)/bin/reblog-linkbacks" --path "$(INPUTDIR)"
LINKBACKS_PORT ?= 8001
DRY_RUN ?= 0
ifeq ($(DRY_RUN), 1)
	PING_OPTS = --dry-run
endif
# PING=0: make publish sends no pings and tells the WebSub hub nothing (the deploy targets
# do both after uploading instead).
PING ?= 1
# WebSub: tell WEBSUB_HUB which feeds of the built site changed (reblog.websub).
WEBSUB = "$(VENV)/bin/reblog-websub" --path "$(INPUTDIR)" -o "$(OUTPUTDIR)"

# Deploy settings: each deploy target refuses to run until its own are set.
SSH_HOST ?=
SSH_PORT ?= 22
SSH_USER ?=
SSH_TARGET_DIR ?=
SSH_COMMAND ?= ssh -p $(SSH_PORT)
GITHUB_PAGES_REMOTE ?=
GITHUB_PAGES_BRANCH ?= gh-pages
S3_BUCKET ?=

# The virtualenv is rebuilt only when the pins change (pyproject.toml, requirements files).
SITE_DEPS = $(VENV)/.site-installed
DEV_DEPS = $(VENV)/.dev-installed
# The AWS CLI and moto's S3 server for the S3 deploy test: pyproject.toml's aws-tests group,
# in a virtualenv of their own (botocore and the site's python-dateutil pin disagree).
AWS_VENV ?= $(CURDIR)/.venv-aws
AWS_DEPS = $(AWS_VENV)/.installed

help:
	@echo 'Makefile for a Pelican web site'
	@echo ''
	@echo 'Usage:'
	@echo '   make html                 (re)generate the web site into output/'
	@echo '   make clean                remove the generated files'
	@echo '   make regenerate           regenerate files upon modification'
	@echo '   make publish              build with publishconf.py, check it, ping cited'
	@echo '                             articles and the WebSub hub'
	@echo '   make check                check the posts in content/ (links, images, credit, feeds); output/ untouched'
	@echo '   make rsync_upload         publish, then upload with rsync over SSH (SSH_HOST, SSH_TARGET_DIR)'
	@echo '   make github               publish, then push to GitHub Pages (GITHUB_PAGES_REMOTE)'
	@echo '   make s3_upload            publish, then upload what changed with the AWS CLI (S3_BUCKET)'
	@echo '   make serve [PORT=8000]    build the site for http://localhost:8000 and serve it there'
	@echo '   make devserver [PORT=8000]  the same, building again on every change'
	@echo '   make linkbacks-serve      receive trackbacks, pingbacks and webmentions on 127.0.0.1:8001'
	@echo '   make linkbacks-verify     check pending pings (LINKBACKS_VERIFY_BUDGET): approved if the source links here'
	@echo '   make linkbacks [ARGS=...] list pings (ARGS="list spam", "approve 3", "reject 3")'
	@echo '   make ping [DRY_RUN=1]     ping the articles published posts cite (publishconf.py)'
	@echo '   make websub [DRY_RUN=1]   tell WEBSUB_HUB which feeds changed since the last time'
	@echo '   make test                 lint, then run the test suite (installs chromium, newsboat, w3m, rsync, wordpress if missing)'
	@echo '   make test-fast            the test suite without the Chromium, newsboat, deploy-tool and WordPress tests'
	@echo '   make lint                 ruff check and ruff format --check'
	@echo '   make new TITLE="..." [REPOST=1]  start a post: a draft in content/posts/<year>/, dated now'
	@echo '   make repost SOURCE=address-or-file [ITEM=N] [MATCH=TEXT] [SLUG=...] [ARGS=...]'
	@echo '                             draft a credited repost in content/posts/; every'
	@echo '                             option is a variable (.venv/bin/reblog-repost --help)'
	@echo '   make bench [POSTS=1000] [RUNS=3]  time stock Pelican against this site'
	@echo '   make bench-repost         how well make repost credits and quotes 181 real pages'
	@echo ''
	@echo 'Set DEBUG=1 for debug output, RELATIVE=1 for relative URLs.'
	@echo 'html and publish replace output/ only after a complete build; FATAL=warnings'
	@echo 'also stops them at any Pelican warning.'

$(SITE_DEPS): requirements.txt pyproject.toml
	test -x "$(PYTHON)" || $(PY) -m venv "$(VENV)"
	"$(PYTHON)" -m pip install --quiet --disable-pip-version-check -r requirements.txt
	touch "$@"

$(DEV_DEPS): requirements-dev.txt $(SITE_DEPS)
	"$(PYTHON)" -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch "$@"

$(AWS_DEPS): pyproject.toml $(SITE_DEPS)
	test -x "$(AWS_VENV)/bin/python" || $(PY) -m venv "$(AWS_VENV)"
	"$(PYTHON)" -c 'import tomllib; print("\n".join(tomllib.load(open("pyproject.toml", "rb"))["dependency-groups"]["aws-tests"]))' \
		| xargs "$(AWS_VENV)/bin/python" -m pip install --quiet --disable-pip-version-check
	touch "$@"

html: $(SITE_DEPS)
	$(BUILD) $(INCREMENTAL) "$(INPUTDIR)" -o "$(OUTPUTDIR)" -s "$(CONFFILE)" --fatal $(FATAL) $(PELICANOPTS)

clean:
	rm -rf "$(OUTPUTDIR)" "$(CACHEDIR)"

regenerate: $(SITE_DEPS)
	"$(PELICAN)" -r "$(INPUTDIR)" -o "$(OUTPUTDIR)" -s "$(CONFFILE)" $(PELICANOPTS)

# Built for http://localhost:PORT (PORT=, default 8000, read by the command), served on
# 127.0.0.1: serve builds as html does; devserver builds into output/ on every change.
serve: $(SITE_DEPS)
	"$(VENV)/bin/reblog-serve" $(INCREMENTAL) "$(INPUTDIR)" -o "$(OUTPUTDIR)" -s "$(CONFFILE)" --fatal $(FATAL) $(PELICANOPTS) $(ARGS)

devserver: $(SITE_DEPS)
	"$(VENV)/bin/reblog-serve" --autoreload $(INCREMENTAL) "$(INPUTDIR)" -o "$(OUTPUTDIR)" -s "$(CONFFILE)" --fatal $(FATAL) $(PELICANOPTS) $(ARGS)

# The build shows the pings already approved: it never waits on another blog (the receiver
# verifies pings in the background; make linkbacks-verify does it by hand). The build is
# checked before it replaces output/; the articles our posts cite, and the WebSub hub, are
# pinged only after all that succeeded.
publish: $(SITE_DEPS)
	$(BUILD) --check "$(INPUTDIR)" -o "$(OUTPUTDIR)" -s "$(PUBLISHCONF)" --fatal $(FATAL) $(PELICANOPTS)
ifeq ($(PING), 1)
	$(LINKBACKS) -s "$(PUBLISHCONF)" ping
	$(WEBSUB) -s "$(PUBLISHCONF)" $(PING_OPTS)
endif

# The blog's own posts, whatever they are: built into a temporary folder and checked.
check: $(SITE_DEPS)
	"$(VENV)/bin/reblog-check" "$(INPUTDIR)" -o "$(OUTPUTDIR)" -s "$(PUBLISHCONF)" $(PELICANOPTS)

linkbacks-serve: $(SITE_DEPS)
	$(LINKBACKS) -s "$(CONFFILE)" serve --port $(LINKBACKS_PORT)

linkbacks-verify: $(SITE_DEPS)
	$(LINKBACKS) -s "$(CONFFILE)" verify

linkbacks: $(SITE_DEPS)
	$(LINKBACKS) -s "$(CONFFILE)" $(or $(ARGS),list)

ping: $(SITE_DEPS)
	$(LINKBACKS) -s "$(PUBLISHCONF)" ping $(PING_OPTS)

# Without WEBSUB_HUB it says so and does nothing; DRY_RUN=1 lists what it would announce.
websub: $(SITE_DEPS)
	$(WEBSUB) -s "$(PUBLISHCONF)" $(PING_OPTS)

# TITLE, like SOURCE below, reaches the command through the environment, unquoted by make;
# after "--", so a title may start with "-". REPOST=1 and SLUG= are the command's own.
new: $(SITE_DEPS)
	@test -n "$$TITLE" || { echo 'usage: make new TITLE="The post'"'"'s title" [REPOST=1] [SLUG=...]' >&2; exit 2; }
	"$(VENV)/bin/reblog-new" -s "$(CONFFILE)" --content "$(INPUTDIR)" $(ARGS) -- "$$TITLE"

# SOURCE reaches the command through the environment, unquoted by make, as its options'
# variables do (ITEM=, MATCH=, SLUG=, ...: .venv/bin/reblog-repost --help).
repost: $(SITE_DEPS)
	@test -n "$$SOURCE" || { echo 'usage: make repost SOURCE=address-or-file [ITEM=N] [MATCH=TEXT] [SLUG=...] ... (options: .venv/bin/reblog-repost --help)' >&2; exit 2; }
	"$(VENV)/bin/reblog-repost" "$$SOURCE" \
		--settings "$(PUBLISHCONF)" --content "$(INPUTDIR)" $(ARGS)

# Each deploy checks its settings first, then runs `make publish`; a failed build or check
# stops make before anything is uploaded, so --delete never runs against a broken build.
# The cited articles and the WebSub hub are pinged only once the upload is done: their
# blogs fetch the post to check that it links to them, the hub fetches the feeds, so
# both must be live by then.
rsync_upload:
	@test -n "$(SSH_HOST)" || { echo "rsync_upload: SSH_HOST is not set (make rsync_upload SSH_HOST=example.net SSH_TARGET_DIR=/var/www/blog)" >&2; exit 2; }
	@test -n "$(SSH_TARGET_DIR)" || { echo "rsync_upload: SSH_TARGET_DIR is not set (the folder on SSH_HOST the site is served from)" >&2; exit 2; }
	@command -v rsync >/dev/null || { echo "rsync_upload: rsync is not installed (apt-get install rsync)" >&2; exit 2; }
	"$(MAKE)" publish PING=0
	rsync -e "$(SSH_COMMAND)" -rzc --delete --out-format='upload: %n' --stats "$(OUTPUTDIR)"/ "$(if $(SSH_USER),$(SSH_USER)@)$(SSH_HOST):$(SSH_TARGET_DIR)"
	"$(MAKE)" ping websub

github:
	@test -n "$(GITHUB_PAGES_REMOTE)" || { echo "github: GITHUB_PAGES_REMOTE is not set (a git remote name such as origin, or a repository URL)" >&2; exit 2; }
	"$(MAKE)" publish PING=0
	"$(VENV)/bin/ghp-import" -m "Generate Pelican site" --no-jekyll -b "$(GITHUB_PAGES_BRANCH)" -p -r "$(GITHUB_PAGES_REMOTE)" "$(OUTPUTDIR)"
	"$(MAKE)" ping websub

s3_upload:
	@test -n "$(S3_BUCKET)" || { echo "s3_upload: S3_BUCKET is not set (make s3_upload S3_BUCKET=my-bucket)" >&2; exit 2; }
	@command -v aws >/dev/null || { echo "s3_upload: the aws command is not installed (AWS CLI v2)" >&2; exit 2; }
	"$(MAKE)" publish PING=0
	"$(VENV)/bin/reblog-s3-upload" "$(OUTPUTDIR)" "$(S3_BUCKET)" -s "$(PUBLISHCONF)" $(ARGS)
	"$(MAKE)" ping websub

lint: $(DEV_DEPS)
	"$(VENV)/bin/ruff" check .
	"$(VENV)/bin/ruff" format --check .

test: lint $(AWS_DEPS)
	bash "$(CURDIR)/.ci/test_programs.sh"
	AWS_VENV="$(AWS_VENV)" "$(PYTHON)" -m pytest -q tests

# Tests marked `outside` drive Chromium, newsboat, w3m, rsync, nginx, git, WordPress or the AWS CLI: left out here, run by `make test`.
test-fast: $(DEV_DEPS)
	"$(PYTHON)" -m pytest -q -m "not outside" tests

bench: $(DEV_DEPS)
	"$(PYTHON)" bench/bench.py --posts $(POSTS) --runs $(RUNS) $(BENCHOPTS)

# Ours against trafilatura (and readability-lxml, when installed) on saved pages (bench/article-extraction-
# benchmark/); reads no network. BENCHOPTS="--extractors ours --show" to study one page by page.
bench-repost: $(DEV_DEPS)
	"$(PYTHON)" bench/repost_credit.py $(BENCHOPTS)

.PHONY: help html clean regenerate serve devserver publish check new repost lint test test-fast linkbacks-serve linkbacks-verify linkbacks ping websub bench bench-repost rsync_upload github s3_upload
