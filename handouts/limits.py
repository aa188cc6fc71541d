"""Every limit on input size and work, in one place.

Any input can come from a stranger (a downloaded exercise pack, a roster export, a practice
profile with a logo). Each limit is far above what a real file needs and far below what
hurts: a file over a limit is refused with a clear message before it costs time or memory.
"""

from __future__ import annotations

import datetime as dt

# --- YAML files (patient, practice, exercise, programme, education) ---------------------------
MAX_YAML_BYTES = 256_000  # a patient file is < 1 KB, the biggest programme 15 KB; YAML
# parses at ~1 MB a second
MAX_YAML_NODES = 500_000  # values after expanding aliases (an alias bomb is billions)
MAX_YAML_DEPTH = 40  # nesting of mappings and lists (the formats need < 10)
MAX_NUMBER_DIGITS = 30  # a number with more digits is a typo or an attack
MAX_YAML_STRING_CHARS = 10_000  # one value; the longest shipped text is ~600 characters

# --- templates (library texts) ----------------------------------------------------------------
MAX_TEMPLATE_CHARS = 10_000  # one text field of an exercise; the longest shipped is ~600
MAX_TEMPLATE_NESTING = 5  # {% if %} inside {% if %}: the texts need 2 at most
MAX_RENDERED_CHARS = 50_000  # what one text may become after rendering

# --- library folders --------------------------------------------------------------------------
MAX_LIBRARY_FILES = 1_000  # exercise, picture, programme and education files in one folder
MAX_LIBRARY_BYTES = 10_000_000  # all of them together (the shipped library: 0.2 MB)

# --- pictures and logos -----------------------------------------------------------------------
MAX_LOGO_BYTES = 5_000_000  # a logo on a handout is ~20-200 KB
MAX_LOGO_PIXELS = 6_000_000  # e.g. 3,000 x 2,000; decoding costs ~4 bytes a pixel, and the
MAX_LOGO_SIDE = 6_000  # PDF embeds them all (40 mm wide at 300 dpi needs ~500 pixels)
MAX_SVG_BYTES = 2_000_000  # the shipped pictures are ~5 KB
MAX_SVG_ELEMENTS = 20_000
MAX_SVG_DEPTH = 50

# --- messages on a terminal and in the batch report -------------------------------------------
MAX_SOURCE_CHARS = 160  # a file path or "roster.csv row 4"
MAX_FIELD_CHARS = 80
MAX_MESSAGE_CHARS = 300
MAX_PROBLEMS_PER_FILE = 20  # then "… and N more"; a file with more needs a different fix
MAX_PROBLEMS_SHOWN = 50  # lines the CLI prints for one command; the rest are counted

# --- practice profile text fields (characters) ------------------------------------------------
# The footer prints name · phone on one line beside the patient's name (up to 80): longer
# ones would not fit. The header's column wraps the others.
MAX_PRACTICE_NAME = 80
MAX_PRACTICE_PHONE = 30
MAX_PRACTICE_FIELD = 150  # therapist, e-mail, website, address
MAX_PRACTICE_PATH = 1_000  # logo and library paths

# --- plausibility of dates and lengths ---------------------------------------------------------
EARLIEST_START = dt.date(2000, 1, 1)  # outside these, a start date is an error (a typo)
LATEST_START = dt.date(2099, 12, 31)
# A handout is made for a programme that starts about now; a reprint for a patient in the
# first month (the follow-up visits, a lost sheet) is normal. A start further back than 4 weeks
# before the first printed week (a patient in week 8 gets weeks 8-12 with checklist weeks) or
# a programme already over means checklists for days gone by: almost surely a typo (last
# year's number, day and month swapped). So does a start more than 13 weeks (a quarter)
# ahead: a waiting list is shorter. Beyond these, a warning naming the consequence and the
# likely fix (plan._start_hint); the PDFs are still made.
WARN_START_DAYS_PAST = 28
WARN_START_DAYS_FUTURE = 91
WARN_PATIENT_WEEKS = 26  # the programmes are 12 weeks; more is allowed (up to 52) but unusual

# --- leftovers of interrupted writes -----------------------------------------------------------
STALE_PART_SECONDS = 60  # a temporary file older than this belongs to a run that was killed
