"""The demo publisher's pages embed the tag as CONTRACT.md §1 says, and the built
tag is served from dist/."""

import re

import pytest
from markupsafe import escape
from wire_samples import TEST_INTEGRITY

from demo_site import create_app
from demo_site.publisher import ARTICLES

SNIPPET = (
    '<script async src="/candor.min.js" data-site="demo" data-collector="/collect"'
    f' integrity="{TEST_INTEGRITY}"></script>'
)
PAGES = ["/", *(f"/article/{article.slug}" for article in ARTICLES)]


@pytest.mark.parametrize("path", PAGES)
def test_every_page_embeds_the_snippet_with_its_sri_hash_and_links_to_the_choice_page(client, path):
    response = client.get(path)
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert page.count(SNIPPET) == 1
    assert '<a href="/optout">' in page


def test_the_front_page_lists_every_article(client):
    page = client.get("/").get_data(as_text=True)
    for article in ARTICLES:
        assert f'<a href="/article/{article.slug}">{article.title}</a>' in page


@pytest.mark.parametrize("article", ARTICLES, ids=lambda article: article.slug)
def test_an_article_shows_its_story_and_links_to_the_others(client, article):
    page = client.get(f"/article/{article.slug}").get_data(as_text=True)
    assert f"<h1>{escape(article.title)}</h1>" in page
    assert all(escape(paragraph) in page for paragraph in article.paragraphs)
    for other in ARTICLES:
        assert (f'href="/article/{other.slug}"' in page) is (other is not article)


def test_an_unknown_article_is_not_found(client):
    assert client.get("/article/no-such-story").status_code == 404


def test_the_api_demo_page_uses_the_queued_command_stub_from_a_file(client):
    page = client.get("/api-demo").get_data(as_text=True)
    stub = '<script src="/demo-static/api_demo_stub.js"></script>'
    loader = f'<script async src="/candor.min.js" integrity="{TEST_INTEGRITY}"></script>'
    assert page.index(stub) < page.index(loader)
    assert "data-site" not in page
    stub_file = client.get("/demo-static/api_demo_stub.js").get_data(as_text=True)
    queue = "window.candor = window.candor || function () { (candor.q = candor.q || []).push(arguments); };"
    init = "candor('init', {site: 'demo', collector: '/collect'});"
    assert stub_file.index(queue) < stub_file.index(init)


def test_no_page_of_the_demo_has_an_inline_script(client):
    """The Content-Security-Policy allows no inline script, so none may be needed."""
    for path in ("/", "/article/library-late-fees", "/api-demo", "/optout", "/privacy", "/my-data",
                 "/dashboard/login"):
        page = client.get(path).get_data(as_text=True)
        for tag, body in re.findall(r"(<script\b[^>]*>)(.*?)</script>", page, re.S):
            assert " src=" in tag and body == "", (path, tag)


def test_without_a_built_hash_the_snippet_has_no_integrity(tmp_path, dist_dir):
    (dist_dir / "candor.min.js.sri").unlink()
    app = create_app({"DATA_DIR": str(tmp_path), "DIST_DIR": dist_dir})
    page = app.test_client().get("/").get_data(as_text=True)
    snippet = '<script async src="/candor.min.js" data-site="demo" data-collector="/collect"></script>'
    assert snippet in page


def test_a_malformed_hash_file_stops_start_up(tmp_path, dist_dir):
    (dist_dir / "candor.min.js.sri").write_text("md5-abc\n")
    with pytest.raises(ValueError, match="sha384-<base64>"):
        create_app({"DATA_DIR": str(tmp_path), "DIST_DIR": dist_dir})


@pytest.mark.parametrize(
    ("filename", "mimetype"),
    [
        ("candor.min.js", "text/javascript"),
        ("candor.js", "text/javascript"),
        ("candor.min.js.map", "application/json"),
    ],
)
def test_the_built_tag_is_served_from_dist_with_a_short_cache(client, dist_dir, filename, mimetype):
    response = client.get(f"/{filename}")
    assert response.status_code == 200
    assert response.get_data() == (dist_dir / filename).read_bytes()
    assert response.mimetype == mimetype
    assert set(response.headers["Cache-Control"].split(", ")) == {"public", "max-age=300"}


def test_any_origin_may_load_the_bundle_with_cors_so_sri_works_from_the_collector(client):
    response = client.get("/candor.min.js", headers={"Origin": "https://www.news.example"})
    assert response.headers["Access-Control-Allow-Origin"] == "*"


def test_a_missing_bundle_file_is_not_found(client, dist_dir):
    (dist_dir / "candor.js").unlink()
    assert client.get("/candor.js").status_code == 404


def test_only_the_bundle_files_are_served_from_dist(client):
    assert client.get("/candor.min.js.sri").status_code == 404


def test_the_demo_privacy_page_carries_the_choice_element_and_its_companion(tmp_path, dist_dir):
    (dist_dir / "candor-choice.min.js.sri").write_text("sha384-" + "B" * 64 + "\n")
    client = create_app({"DATA_DIR": str(tmp_path), "DIST_DIR": dist_dir}).test_client()
    html = client.get("/your-privacy").get_data(as_text=True)
    assert "<div data-candor-choice></div>" in html
    assert f'<script async src="/candor-choice.min.js" integrity="sha384-{"B" * 64}"></script>' in html
    assert 'src="/candor.min.js"' in html
