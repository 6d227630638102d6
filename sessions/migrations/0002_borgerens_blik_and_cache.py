from django.core.management import call_command
from django.db import migrations


def load_borgerens_blik(apps, schema_editor):
    from sessions.services import tool_load

    tool_load(apps=apps)


def create_cache_table(apps, schema_editor):
    # The rate limit lives in the database cache so that every server process shares it.
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    dependencies = [("dialogue", "0001_initial")]

    operations = [
        migrations.RunPython(create_cache_table, migrations.RunPython.noop),
        migrations.RunPython(load_borgerens_blik, migrations.RunPython.noop),
    ]
