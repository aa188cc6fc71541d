"""The email's subject and bodies from Jinja templates, sandboxed.

The shipped templates are in the top-level `templates/email/<variant>/` folder (in the wheel:
the package `handouts._templates`). A practice overrides any of them with a file of the same
name in `<its library folder>/templates/email/<variant>/`. Variants: nl, nl-BE, en, and the
formal u-form nl-u and nl-BE-u.

Templates run in Jinja's immutable sandbox with StrictUndefined and see only these variables:
  practice.name, practice.phone, practice.email, practice.therapist   (from the practice file)
  first_name        the patient's first name
  start_date        the first day, written out ("maandag 7 december 2026"), or "" if unknown
  protected         true when the attachment has a password
The HTML body is autoescaped. Practice templates are limited in size; a rendered subject is
one line. Nothing about health goes into subject or body: that rule is the template's, and the
shipped ones keep it.
"""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache
from importlib import resources
from importlib.abc import Traversable
from pathlib import Path
from typing import Any

import jinja2
import msgspec
from jinja2.sandbox import ImmutableSandboxedEnvironment

from handouts.errors import InputError

VARIANTS = ("nl", "nl-u", "nl-BE", "nl-BE-u", "en")
NAMES = ("subject.txt.j2", "body.txt.j2", "body.html.j2", "signature.txt.j2", "signature.html.j2")
MAX_TEMPLATE_BYTES = 20_000
MAX_SUBJECT = 200
MAX_BODY = 50_000
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


class Texts(msgspec.Struct, frozen=True):
    subject: str
    plain: str
    html: str


def variant(language: str, formal: bool) -> str:
    """The template folder for a language and form of address: nl + formal -> nl-u."""
    name = f"{language}-u" if formal and language != "en" else language
    if name not in VARIANTS:
        raise ValueError(f"no email templates for {name!r}")
    return name


def shipped_templates() -> Traversable:
    """templates/ as installed (handouts._templates), or in the checkout when run from it."""
    try:
        return resources.files("handouts._templates")
    except ModuleNotFoundError:  # running from a source checkout: templates/ is next to handouts/
        return Path(__file__).resolve().parents[2] / "templates"


def render_texts(
    variant_name: str,
    *,
    practice: dict[str, str],
    first_name: str,
    start_date: dt.date | None,
    language: str,
    protected: bool,
    override_dir: Path | None = None,
) -> Texts:
    """Subject, plain body and HTML body for one patient."""
    from handouts.text import format_day

    variables: dict[str, Any] = {
        "practice": {
            k: _clean(practice.get(k, "")) for k in ("name", "phone", "email", "therapist")
        },
        "first_name": _clean(first_name),
        "start_date": format_day(start_date, language, "EEEE d MMMM yyyy") if start_date else "",
        "protected": protected,
    }
    env, sources = _environment(variant_name, override_dir, _stamp(variant_name, override_dir))
    subject = " ".join(_render(env, sources, "subject.txt.j2", variables).split())
    if not subject or len(subject) > MAX_SUBJECT:
        raise InputError.single(
            sources["subject.txt.j2"], "", f"the subject must be 1 to {MAX_SUBJECT} characters"
        )
    plain = _tidy(_render(env, sources, "body.txt.j2", variables))
    html = _render(env, sources, "body.html.j2", variables).strip() + "\n"
    return Texts(subject, plain, html)


def _clean(text: str) -> str:
    """Text from files is data: no control characters (they could break a header or a line)."""
    return " ".join(_CONTROL.sub(" ", str(text)).split())


def _one_line(text: str) -> str:
    return " ".join(_CONTROL.sub(" ", text).split())[:200]


def _tidy(text: str) -> str:
    lines = [line.rstrip() for line in text.strip().splitlines()]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)) + "\n"


def _render(
    env: ImmutableSandboxedEnvironment, sources: dict[str, str], name: str, variables: Any
) -> str:
    try:
        text = env.get_template(name).render(variables)
    except jinja2.TemplateSyntaxError as err:
        where = sources.get(err.name or name, name)
        raise InputError.single(
            where, f"line {err.lineno}", f"template error ({err.message}); fix the template"
        ) from None
    except jinja2.UndefinedError as err:
        raise InputError.single(
            sources[name],
            "",
            f"{err.message}; a template may use only practice.name, practice.phone, "
            "practice.email, practice.therapist, first_name, start_date and protected",
        ) from None
    except jinja2.exceptions.SecurityError as err:
        raise InputError.single(sources[name], "", f"not allowed in a template ({err})") from None
    except jinja2.TemplateNotFound as err:
        raise InputError.single(
            sources[name], "", f"template error ({err.name} cannot be included); fix the template"
        ) from None
    except (jinja2.TemplateError, ValueError, TypeError, ArithmeticError) as err:
        raise InputError.single(
            sources[name], "", f"template error ({_one_line(str(err))}); fix the template"
        ) from None
    if len(text) > MAX_BODY:
        raise InputError.single(sources[name], "", "the text is too long; shorten the template")
    return text


def _stamp(variant_name: str, override_dir: Path | None) -> tuple[tuple[str, int, int], ...]:
    """The practice's own templates as they are now (an edited one is compiled again)."""
    if override_dir is None:
        return ()
    folder = override_dir / "email" / variant_name
    found = []
    for name in NAMES:
        try:
            stat = (folder / name).stat()
        except OSError:
            continue
        found.append((name, stat.st_mtime_ns, stat.st_size))
    return tuple(found)


@lru_cache(maxsize=32)
def _environment(
    variant_name: str, override_dir: Path | None, stamp: tuple[tuple[str, int, int], ...]
) -> tuple[ImmutableSandboxedEnvironment, dict[str, str]]:
    """A sandbox holding the variant's templates (a practice's own win); and where each is from."""
    texts: dict[str, str] = {}
    sources: dict[str, str] = {}
    # one name per joinpath: installed, handouts._templates is a namespace package, whose
    # MultiplexedPath (Python 3.11) takes one
    shipped = shipped_templates().joinpath("email").joinpath(variant_name)
    own = override_dir / "email" / variant_name if override_dir else None
    for name in NAMES:
        own_file = own / name if own else None
        if own_file is not None and own_file.is_file():
            if own_file.stat().st_size > MAX_TEMPLATE_BYTES:
                raise InputError.single(
                    str(own_file), "", f"is larger than {MAX_TEMPLATE_BYTES} bytes; shorten it"
                )
            try:
                texts[name] = own_file.read_text(encoding="utf-8")
            except UnicodeDecodeError:
                raise InputError.single(
                    str(own_file), "", "is not UTF-8; save it as UTF-8"
                ) from None
            sources[name] = str(own_file)
        else:
            texts[name] = shipped.joinpath(name).read_text(encoding="utf-8")
            sources[name] = f"templates/email/{variant_name}/{name}"
    env = ImmutableSandboxedEnvironment(
        loader=jinja2.DictLoader(texts),  # includes see these templates only, no files
        undefined=jinja2.StrictUndefined,
        autoescape=lambda name: bool(name and name.endswith(".html.j2")),
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    return env, sources
