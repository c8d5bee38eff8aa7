"""A small fake news site that embeds the tag the way a publisher would, so the
tag, the collector and the choice page can be seen working together."""

from dataclasses import dataclass

from flask import Blueprint, abort, current_app, render_template

bp = Blueprint("publisher", __name__, template_folder="templates", static_folder="static", static_url_path="/demo-static")


@dataclass(frozen=True)
class Article:
    """A demo story; enough text to look like a page worth measuring."""

    slug: str
    title: str
    summary: str
    paragraphs: tuple


ARTICLES = (
    Article(
        slug="river-path-reopens",
        title="River path reopens after two years of repairs",
        summary="Walkers and cyclists get the waterfront back this weekend.",
        paragraphs=(
            "The riverside path closed by the spring floods reopens on Saturday, the city's works department said on Tuesday.",
            "The new surface drains into planted verges instead of the river, and "
            "the lighting has been lowered to spare the bats nesting under the old bridge.",
        ),
    ),
    Article(
        slug="library-late-fees",
        title="Library ends late fees, and the books come back",
        summary="A year without fines brought in more overdue books than ever.",
        paragraphs=(
            "A year after the central library stopped charging late fees, returns of "
            "long-overdue books have doubled, its annual report shows.",
            "Staff say the time saved on collecting small sums now goes into the "
            "children's reading hour, which has a waiting list for the first time.",
        ),
    ),
    Article(
        slug="market-square-bakery",
        title="A bakery on the market square turns fifty",
        summary="Three generations, one oven, and a sourdough starter older than the shop.",
        paragraphs=(
            "When the bakery on the market square opened in the seventies, bread was sold by weight and the queue reached the fountain.",
            "Half a century later the queue is shorter, the oven is the same, and the "
            "founder's granddaughter still feeds the starter every morning at five.",
        ),
    ),
)
ARTICLES_BY_SLUG = {article.slug: article for article in ARTICLES}


@bp.context_processor
def tag_integrity():
    """Every page's snippet carries the SRI hash read at start-up, if the tag is built."""
    return {"tag_integrity": current_app.config["TAG_INTEGRITY"], "choice_integrity": current_app.config["CHOICE_INTEGRITY"]}


@bp.get("/")
def front_page():
    """The landing page a visitor arrives on: a page view with a referrer."""
    return render_template("front_page.html", articles=ARTICLES)


@bp.get("/article/<slug>")
def article_page(slug):
    """An article linking to the others, so a visit has several page views."""
    article = ARTICLES_BY_SLUG.get(slug)
    if article is None:
        abort(404)
    others = [other for other in ARTICLES if other.slug != slug]
    return render_template("article.html", article=article, others=others)


@bp.get("/api-demo")
def api_demo_page():
    """The same tag set up through the queued-command stub instead of `data-*` attributes."""
    return render_template("api_demo.html", articles=ARTICLES)


@bp.get("/your-privacy")
def privacy_choice_page():
    """The newspaper's own privacy page: the visitor's choice and data in the page itself
    (`data-candor-choice`), as a publisher on another site than its collector must offer it."""
    return render_template("your_privacy.html")
