"""The UI language at run time: the gettext catalogue, Qt's own translations
(`qtbase_<lang>.qm` for standard buttons and dialogs) and the default QLocale."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

from kkdesk.i18n import LANGS, normalise_lang, set_language

QT_LOCALES = {"kk": "kk_KZ", "ru": "ru_RU", "en": "en_GB"}

_translator: QTranslator | None = None


def qt_translations_dir() -> str:
    return QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)


def apply_language(lang: str | None) -> str:
    """Switch gettext, Qt's translator and the default locale to `lang`; returns the
    language in effect. Installing a translator sends LanguageChange to every widget,
    which re-labels Qt's standard buttons (QDialogButtonBox) by itself."""
    global _translator
    lang = normalise_lang(lang) or "en"
    if lang not in LANGS:
        lang = "en"
    set_language(lang)
    QLocale.setDefault(QLocale(QT_LOCALES[lang]))
    app = QCoreApplication.instance()
    if app is None:
        return lang
    if _translator is not None:
        app.removeTranslator(_translator)
        _translator = None
    if lang != "en":
        translator = QTranslator(app)
        if translator.load(f"qtbase_{lang}", qt_translations_dir()):
            app.installTranslator(translator)
            _translator = translator
    return lang


def has_qt_translation(lang: str) -> bool:
    return QTranslator().load(f"qtbase_{lang}", qt_translations_dir())
