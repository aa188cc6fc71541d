"""Reading returned checklists back: geometry (pure), registry, reader, results, report.

geometry.py and results.py need nothing beyond the base install; read.py, raster.py,
inputs.py and synthetic.py need the scan extra (OpenCV, numpy, pypdfium2).
"""
