"""Liquid tags and Hugo and Zola shortcodes turned into Markdown, and what is kept and reported."""

from __future__ import annotations

import pytest

from linernotes.importers import embeds
from linernotes.importers.shortcodes import (
    Problem,
    convert_hugo,
    convert_liquid,
    convert_zola,
    inline_code,
)

SITE = {
    "title": "Signal Path",
    "url": "https://signal.example.com",
    "baseurl": "/blog",
    "social": {"github": "signalpath"},
}
TARGETS = {
    "2010-07-21-name": "/2010/07/21/name/",
    "_posts/x.md": "/x/",
    "posts/x.md": "/posts/x/",
    "blog/post.md": "/blog/post/",
}
YOUTUBE = embeds.youtube("dQw4w9WgXcQ") or ""
VIMEO = embeds.vimeo("76979871") or ""


def resolve(target: str) -> str | None:
    return TARGETS.get(target.strip("\"'"))


def liquid(body: str) -> tuple[str, list[Problem]]:
    converted = convert_liquid(body, site=SITE, resolve=resolve)
    return converted.markdown, converted.problems


def hugo(body: str) -> tuple[str, list[Problem]]:
    params = {"team": "Platform", "social": {"mastodon": "@a@b.example"}}
    converted = convert_hugo(body, params=params, resolve=resolve)
    return converted.markdown, converted.problems


def zola(body: str) -> tuple[str, list[Problem]]:
    converted = convert_zola(body, resolve=resolve)
    return converted.markdown, converted.problems


def test_liquid_highlight_becomes_fenced_code() -> None:
    markdown, problems = liquid(
        'Before\n{% highlight ruby linenos %}\nputs "hi"\n{% endhighlight %}'
    )

    assert markdown == 'Before\n\n```ruby\nputs "hi"\n```\n\n'
    assert problems == []


def test_liquid_highlight_in_an_html_body_stays_html() -> None:
    converted = convert_liquid(
        "{% highlight go %}\nx < y\n{% endhighlight %}", site=SITE, resolve=resolve, html=True
    )

    assert converted.markdown == '<pre><code class="language-go">x &lt; y</code></pre>'


def test_raw_content_is_kept_literally_and_never_interpreted() -> None:
    markdown, problems = liquid(
        "{% raw %}{{ site.title }} {% youtube dQw4w9WgXcQ %} {% assign x = 1 %}{% endraw %}"
    )

    assert markdown == "{{ site.title }} {% youtube dQw4w9WgXcQ %} {% assign x = 1 %}"
    assert problems == []


def test_raw_inside_highlight_keeps_template_code() -> None:
    markdown, _ = liquid("{% highlight html %}{% raw %}{{ name }}{% endraw %}{% endhighlight %}")

    assert markdown == "\n\n```html\n{{ name }}\n```\n\n"


def test_an_unclosed_raw_is_reported() -> None:
    markdown, problems = liquid("{% raw %}{{ x }}")

    assert markdown == "{{ x }}"
    assert [problem.message for problem in problems] == [
        "{% raw %} is never closed; the rest was kept as it is"
    ]


def test_liquid_comments_are_left_out() -> None:
    markdown, problems = liquid("A{% comment %} private {{ x }} {% endcomment %}B")

    assert markdown == "AB"
    assert problems == []


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("{{ site.baseurl }}/img.png", "/blog/img.png"),
        ("{{ site.url }}{{ site.baseurl }}/", "https://signal.example.com/blog/"),
        ("{{site.title}}", "Signal Path"),
        ("{{ site.social.github }}", "signalpath"),
        ('{{ "/assets/x.png" | relative_url }}', "/blog/assets/x.png"),
        ("{{ '/assets/x.png' | absolute_url }}", "https://signal.example.com/blog/assets/x.png"),
    ],
)
def test_site_values_are_resolved_from_the_config(body: str, expected: str) -> None:
    markdown, problems = liquid(body)

    assert markdown == expected
    assert problems == []


def test_a_missing_base_url_is_empty() -> None:
    converted = convert_liquid("{{ site.baseurl }}/x", site={}, resolve=resolve)

    assert converted.markdown == "/x"


def test_links_to_posts_become_their_old_paths() -> None:
    markdown, problems = liquid(
        "[a]({% post_url 2010-07-21-name %}) [b]({% link _posts/x.md %}) [c]({% post_url gone %})"
    )

    assert markdown == "[a](/2010/07/21/name/) [b](/x/) [c](gone)"
    assert [(problem.line, problem.message) for problem in problems] == [
        (1, "{% post_url %} 'gone' matches no post or page; kept as written")
    ]


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("{% youtube dQw4w9WgXcQ %}", YOUTUBE),
        ('{% include youtube.html id="dQw4w9WgXcQ" %}', YOUTUBE),
        ("{% youtube https://www.youtube.com/watch?v=dQw4w9WgXcQ %}", YOUTUBE),
        ("{% vimeo 76979871 %}", VIMEO),
        ("{% gist octocat/6cad326836d38bd3a7ae %}", embeds.gist("octocat/6cad326836d38bd3a7ae")),
        ("{% gist octocat/abc hello.rb %}", embeds.gist("octocat/abc", "hello.rb")),
        (
            "{% tweet https://twitter.com/jack/status/20 %}",
            embeds.tweet("https://twitter.com/jack/status/20"),
        ),
    ],
)
def test_liquid_embeds(body: str, expected: str) -> None:
    markdown, problems = liquid(body)

    assert markdown.strip() == expected.strip()
    assert problems == []


def test_unknown_liquid_is_kept_visibly_and_reported_with_its_line() -> None:
    markdown, problems = liquid(
        "One\n{% assign x = 1 %}\nThree {{ page.title }}\n{% youtube not-an-id %}"
    )

    assert markdown == (
        "One\n`{% assign x = 1 %}`\nThree `{{ page.title }}`\n`{% youtube not-an-id %}`"
    )
    assert [(problem.line, problem.message) for problem in problems] == [
        (2, "Liquid tag kept as text: {% assign x = 1 %}"),
        (3, "Liquid output kept as text: {{ page.title }}"),
        (4, "Liquid tag kept as text: {% youtube not-an-id %}"),
    ]


def test_unknown_liquid_in_a_code_block_is_kept_as_written() -> None:
    markdown, problems = liquid("```\n{{ page.title }}\n```\n{{ page.url }}")

    assert markdown == "```\n{{ page.title }}\n```\n`{{ page.url }}`"
    assert [problem.line for problem in problems] == [2, 4]


def test_unclosed_tags_are_plain_text_and_scanning_stays_linear() -> None:
    body = "{% {{ " * 20_000

    markdown, problems = liquid(body)

    assert markdown == body
    assert problems == []


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("{{< youtube dQw4w9WgXcQ >}}", YOUTUBE),
        ('{{< youtube id="dQw4w9WgXcQ" >}}', YOUTUBE),
        ('{{< youtube id="dQw4w9WgXcQ" title="Talk" >}}', embeds.youtube("dQw4w9WgXcQ", "Talk")),
        ("{{< vimeo 76979871 >}}", VIMEO),
        ('{{< gist spf13 7896402 "img.html" >}}', embeds.gist("spf13/7896402", "img.html")),
        ("{{< gist spf13 7896402 >}}", embeds.gist("spf13/7896402")),
        (
            '{{< tweet user="SanDiegoZoo" id="1453110110599868418" >}}',
            embeds.tweet("https://twitter.com/SanDiegoZoo/status/1453110110599868418"),
        ),
        (
            "{{< tweet 1453110110599868418 >}}",
            embeds.tweet("https://twitter.com/i/status/1453110110599868418"),
        ),
        (
            '{{< x user="GoHugoIO" id="13152" >}}',
            embeds.tweet("https://x.com/GoHugoIO/status/13152"),
        ),
        ("{{% youtube dQw4w9WgXcQ %}}", YOUTUBE),
    ],
)
def test_hugo_embeds(body: str, expected: str) -> None:
    markdown, problems = hugo(body)

    assert markdown.strip() == expected.strip()
    assert problems == []


def test_hugo_figure_becomes_an_image_with_an_italic_caption() -> None:
    markdown, _ = hugo('{{< figure src="/img/a.png" alt="A chart" caption="Build times" >}}')
    linked, _ = hugo('{{< figure src="b.png" title="Title" link="https://x.example" >}}')

    assert markdown == "\n\n![A chart](/img/a.png)\n\n*Build times*\n\n"
    assert linked == '\n\n[![Title](b.png "Title")](https://x.example)\n\n*Title*\n\n'


def test_hugo_highlight_becomes_fenced_code_with_its_content_as_written() -> None:
    markdown, problems = hugo(
        '{{< highlight go "linenos=table" >}}\nfmt.Println("{{< x >}}")\n{{< /highlight >}}'
    )

    assert markdown == '\n\n```go\nfmt.Println("{{< x >}}")\n```\n\n'
    assert problems == []


def test_hugo_refs_become_old_paths() -> None:
    markdown, problems = hugo(
        '[a]({{< ref "posts/x.md" >}}) [b]({{< relref path="blog/post.md" >}})'
        ' [c]({{< ref "no.md" >}})'
    )

    assert markdown == "[a](/posts/x/) [b](/blog/post/) [c](no.md)"
    assert [problem.message for problem in problems] == [
        "{{< ref >}} 'no.md' matches no post or page; kept as written"
    ]


def test_hugo_params_are_looked_up() -> None:
    markdown, problems = hugo('{{< param "team" >}} {{% param social.mastodon %}}')

    assert markdown == "Platform @a@b.example"
    assert problems == []


def test_unknown_hugo_shortcodes_are_kept_and_only_their_opening_reported() -> None:
    markdown, problems = hugo(
        "Text\n{{< notice warning >}}Careful{{< /notice >}}\n{{< param nope >}}"
    )

    assert markdown == (
        "Text\n`{{< notice warning >}}`Careful`{{< /notice >}}`\n`{{< param nope >}}`"
    )
    assert [(problem.line, problem.message) for problem in problems] == [
        (2, "Shortcode kept as text: {{< notice warning >}}"),
        (3, "Shortcode kept as text: {{< param nope >}}"),
    ]


def test_escaped_hugo_shortcodes_become_their_literal_text() -> None:
    markdown, problems = hugo("Type {{</* youtube abc */>}} or {{%/* param x */%}}.")

    assert markdown == "Type {{< youtube abc >}} or {{% param x %}}."
    assert problems == []


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ('{{ youtube(id="dQw4w9WgXcQ") }}', YOUTUBE),
        ('{{ youtube(id="dQw4w9WgXcQ", autoplay=true) }}', YOUTUBE),
        ("{{ vimeo(id='76979871') }}", VIMEO),
        (
            '{{ gist(url="https://gist.github.com/Keats/e5fb6", file="a.rs") }}',
            embeds.gist("https://gist.github.com/Keats/e5fb6", "a.rs"),
        ),
    ],
)
def test_zola_embeds(body: str, expected: str) -> None:
    markdown, problems = zola(body)

    assert markdown.strip() == expected.strip()
    assert problems == []


def test_unknown_zola_shortcodes_are_kept_and_reported() -> None:
    markdown, problems = zola('{% note(kind="tip") %}\nInner\n{% end %}\n{{ chart(data=[1, 2]) }}')

    assert markdown == '`{% note(kind="tip") %}`\nInner\n`{% end %}`\n`{{ chart(data=[1, 2]) }}`'
    assert [(problem.line, problem.message) for problem in problems] == [
        (1, 'Shortcode kept as text: {% note(kind="tip") %}'),
        (4, "Shortcode kept as text: {{ chart(data=[1, 2]) }}"),
    ]


def test_zola_leaves_other_braces_alone_and_unescapes_escaped_shortcodes() -> None:
    markdown, problems = zola('{{ not a call }} {{/* youtube(id="x") */}} {%/* note() */%}')

    assert markdown == '{{ not a call }} {{ youtube(id="x") }} {% note() %}'
    assert problems == []


def test_zola_internal_links_become_old_paths() -> None:
    markdown, problems = zola("[a](@/blog/post.md#part) and\n[b](@/blog/gone.md)")

    assert markdown == "[a](/blog/post/#part) and\n[b](@/blog/gone.md)"
    assert [(problem.line, problem.message) for problem in problems] == [
        (2, "link to @/blog/gone.md matches no page")
    ]


def test_inline_code_outlasts_backticks_in_the_text() -> None:
    assert inline_code("{{ x }}") == "`{{ x }}`"
    assert inline_code("a `b` c") == "``a `b` c``"
    assert inline_code("`x") == "`` `x ``"
