"""The course's two sources, cited the way the course cites them in both editions.

The paper is cited by its authors, its Russian title and its own English
title (the one printed with its English abstract, not a translation of ours);
the article by its title, its date and the cities it reports on. The texts
themselves are not part of the kit: the course quotes them briefly for
teaching, with the citation.

Examples
--------
>>> "System engineering approaches to securing the safety" in paper_citation("en")
True
>>> paper_citation("ru").startswith("Зацаринный А.А., Гаврилов В.Е.")
True
>>> all(city in article_citation("en") for city in ("Yantai", "Weifang", "Binzhou"))
True
"""

from __future__ import annotations

from lifecycle_kit.i18n import get_language

__all__ = ["ARTICLE", "ARTICLE_DATE", "ARTICLE_RU", "ARTICLE_TITLE", "PAPER", "PAPER_RU", "PAPER_TITLE_EN",
           "PAPER_TITLE_RU", "article_citation", "paper_citation"]

#: The paper's title as published (Russian) and its own English title (from its English abstract).
PAPER_TITLE_RU = ("Системотехнические подходы к обеспечению безопасности систем искусственного интеллекта с учетом "
                  "качества данных для машинного обучения")
#: The paper's own English title, as the paper gives it.
PAPER_TITLE_EN = ("System engineering approaches to securing the safety of artificial intelligence systems, taking "
                  "into account the quality of data for machine learning")

#: The paper, cited in the English edition (its text is in Russian).
PAPER = (f"Zatsarinny A.A., Gavrilov V.E. \"{PAPER_TITLE_EN}\" [«{PAPER_TITLE_RU}»]. Federal Research Center "
         "\"Computer Science and Control\" of the Russian Academy of Sciences (in Russian)")
#: The paper, cited in the Russian edition.
PAPER_RU = (f"Зацаринный А.А., Гаврилов В.Е. {PAPER_TITLE_RU} (англ. \u201c{PAPER_TITLE_EN}\u201d). "
            "ФИЦ «Информатика и управление» РАН")

#: The article's title as published (traditional characters, the site's punctuation).
ARTICLE_TITLE = "山東:深化信息化應用 讓數據\u201c活\u201d起來警務強起來"
#: The Shandong article's publication date (ISO 8601).
ARTICLE_DATE = "2019-03-22"
#: The article, cited in the English edition.
ARTICLE = (f"\"{ARTICLE_TITLE}\" (Shandong: deepen the use of informatisation, bring data to life, strengthen "
           f"policing), news centre article, {ARTICLE_DATE}, on the city police bureaus of Yantai, Weifang and Binzhou "
           "(in Chinese)")
#: The article, cited in the Russian edition.
ARTICLE_RU = (f"«{ARTICLE_TITLE}» («Шаньдун: углублять применение информатизации, чтобы данные „ожили“, а полицейская "
              "работа окрепла»), статья новостного центра от 22.03.2019 о городских управлениях полиции Яньтая, "
              "Вэйфана и Биньчжоу (на китайском языке)")


def paper_citation(lang: str | None = None) -> str:
    """The paper's citation in the reader's language (or ``lang``)."""
    return PAPER_RU if get_language(lang) == "ru" else PAPER


def article_citation(lang: str | None = None) -> str:
    """The article's citation in the reader's language (or ``lang``)."""
    return ARTICLE_RU if get_language(lang) == "ru" else ARTICLE
