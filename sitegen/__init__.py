"""A small static site generator for multilingual institutional sites.

The package follows the build pipeline, one module a stage:

    config      -> data/site.yaml: languages, base URL, menu, policies
    clock       -> the build's moment (--now, SOURCE_DATE_EPOCH, the clock)
    sources     -> content/**/*.<lang>.md: front matter and Markdown bodies
    data        -> data/*.yaml: UI strings, records (people, partners, tags)
    model       -> a read-only site: pages per language, translation groups,
                   sections, archives, filters and cross-references
    markup      -> Markdown to HTML in GitHub's dialect (dialect), every link
                   resolved and checked, attachments, the HTML cleaned (sanitize)
    render      -> Jinja2 templates, feeds, calendars (calendars, ical), the
                   map (worldmap), sitemap, host files (hosting): bytes in memory
    search      -> the Pagefind index of the rendered pages
    writer      -> an atomic swap of the output folder
    report      -> the summary and build-report.json

`pipeline.run()` runs them in that order; `cli` is the command line on top.
Every stage reports problems into one `Diagnostics` list instead of raising.
"""

__version__ = "0.1.0"
