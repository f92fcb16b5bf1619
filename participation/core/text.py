import math
import re

WORDS_PER_MINUTE = 200


def reading_minutes(text):
    """Minutes a reader needs for `text` (plain text), at 200 words a minute; at least one."""
    return max(1, math.ceil(len(re.findall(r"\w+", text)) / WORDS_PER_MINUTE))
