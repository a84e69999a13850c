"""A small static site generator for multilingual institutional sites.

The package follows the build pipeline, one module a stage:

    config      -> data/site.yaml: languages, base URL, menu, policies
    sources     -> content/**/*.<lang>.md: front matter and Markdown bodies
    data        -> data/*.yaml: UI strings, records (people, partners, tags)
    model       -> a read-only site: pages per language, translation groups,
                   sections, collections and cross-references
    markup      -> Markdown to HTML, links between documents resolved
    render      -> Jinja2 templates, feeds, sitemap (bytes in memory)
    writer      -> an atomic swap of the output folder

`pipeline.build()` runs them in that order; `cli` is the command line on top.
Every stage reports problems into one `Diagnostics` list instead of raising.
"""

__version__ = "0.1.0"
