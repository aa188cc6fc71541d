"""The only place that imports reportlab: fonts, styles, the handout and the checklists."""
