from django.db import connection, models
from django.utils.translation import gettext_lazy as _


class CounterManager(models.Manager):
    def next(self, *, key: str, start: int = 1) -> int:
        """The next number of the series `key` (`start` for its first one), given once whatever runs at the same
        moment: one INSERT … ON CONFLICT DO UPDATE … RETURNING statement (PostgreSQL, SQLite ≥ 3.35), which the
        database serialises on the series' row."""
        table, key_column, value_column = map(connection.ops.quote_name, (self.model._meta.db_table, "key", "value"))
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {table} ({key_column}, {value_column}) VALUES (%s, %s) ON CONFLICT ({key_column}) "
                f"DO UPDATE SET {value_column} = {table}.{value_column} + 1 RETURNING {value_column}",
                [key, start],
            )
            return int(cursor.fetchone()[0])


class Counter(models.Model):
    """The last number given in a numbered series (a support request's reference per year…): one row per series,
    moved on by one atomic statement (`Counter.objects.next`), so two requests at the same moment never get the same
    number."""

    key = models.CharField(_("series"), max_length=64, unique=True)
    value = models.PositiveBigIntegerField(_("last number given"))

    objects = CounterManager()

    class Meta:
        verbose_name = _("counter")
        verbose_name_plural = _("counters")

    def __str__(self):
        return f"{self.key}: {self.value}"
