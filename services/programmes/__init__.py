"""Programmes: vocational and education programmes, enrolment, attendance, completion."""
