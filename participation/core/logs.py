"""JSON log lines (LOG_FORMAT=json): one object per record, for a log collector."""

import json
import logging

# What a record carries besides the message: kept when set (the request log's status and duration).
EXTRA_FIELDS = ("status_code", "duration_ms")


class JsonFormatter(logging.Formatter):
    def format(self, record):
        entry = {
            "time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        entry.update({name: getattr(record, name) for name in EXTRA_FIELDS if hasattr(record, name)})
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False, default=str)
