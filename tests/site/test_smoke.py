from bs4 import BeautifulSoup

from conftest import address


def test_tiny_site_builds_both_languages(site):
    site.write("content/news/first.uz.md", "---\ntitle: \"Birinchi\"\ndate: 2025-06-12\ntags: [memo]\n"
               "partners: [kaznua]\n---\nMatn.\n")
    site.write("content/news/first.en.md", "---\ntitle: \"First\"\n---\nText.\n")
    result = site.build()
    assert [d.format() for d in result.diagnostics.errors] == []
    assert result.written
    uz = BeautifulSoup(site.html(address.file(address.document("uz", "news", "first"))), "html.parser")
    en = BeautifulSoup(site.html(address.file(address.document("en", "news", "first"))), "html.parser")
    assert uz.html["lang"] == "uz" and en.html["lang"] == "en"
    assert uz.find("time").get_text() == "12-iyun, 2025"
    assert en.find("time").get_text() == "12 June 2025"  # the date is inherited from the Uzbek file
