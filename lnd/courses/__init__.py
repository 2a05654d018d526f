"""The offer: sections, course groups, courses, delivery methods, frameworks (KSS) and completions."""
