"""Province-scale data for the benchmark: ``manage.py generate_scale_data``.

Defaults are SPEC.md's numbers. Deterministic for ``--seed`` and ``--date``;
refuses to run into a database that already holds generated data unless
``--reset`` (which deletes generated rows only). See ``demo.scale_data``.
"""

import datetime
import time

from django.core.management.base import BaseCommand, CommandError

from demo import scale_data


class Command(BaseCommand):
    help = "Generate province-scale data (customers, sales, visits, complaints, reports)."

    def add_arguments(self, parser):
        parser.add_argument("--customers", type=int, default=50000)
        parser.add_argument("--managers", type=int, default=500)
        parser.add_argument("--regions", type=int, default=40)
        parser.add_argument("--months", type=int, default=13, help="Months of sales.")
        parser.add_argument("--visits", type=int, default=1000000)
        parser.add_argument("--complaints", type=int, default=5000)
        parser.add_argument("--reports", type=int, default=6000)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument(
            "--date",
            type=datetime.date.fromisoformat,
            default=None,
            help="Reference day (YYYY-MM-DD); default today.",
        )
        parser.add_argument(
            "--reset", action="store_true", help="Delete generated data first, then generate."
        )

    def handle(self, *args, **options):
        if options["managers"] < 1 or options["regions"] < 1 or options["customers"] < 1:
            raise CommandError("--customers, --managers and --regions must be at least 1.")
        started = time.monotonic()
        try:
            counts = scale_data.generate(
                customers=options["customers"],
                managers=options["managers"],
                regions=options["regions"],
                months=options["months"],
                visits=options["visits"],
                complaints=options["complaints"],
                reports=options["reports"],
                seed=options["seed"],
                today=options["date"],
                reset=options["reset"],
                progress=self.stdout.write,
            )
        except scale_data.AlreadyGenerated as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"Done in {time.monotonic() - started:.1f} s: "
            + ", ".join(f"{name} {count:,}" for name, count in counts.items())
        )
        self.stdout.write(
            f"Users s_mgr_0001… and s_rm_001… log in with the password {scale_data.PASSWORD!r}."
        )
