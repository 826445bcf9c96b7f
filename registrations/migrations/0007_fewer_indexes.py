"""Indexes that nothing needs, dropped: each was written on every registration.

The event and participant foreign keys are served by the composite indexes that start with
them ((event, status) and the unique (participant, round)); the tokens' uniqueness moves to
constraints, which unlike unique=True build no second index for LIKE searches.
"""

import django.db.models.deletion
import registrations.models
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('events', '0004_host_offer_privacy_accepted_at'),
        ('registrations', '0006_place_counters_in_plpgsql'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterField(
            model_name='participant',
            name='checkin_code',
            field=models.CharField(default=registrations.models.new_token, editable=False, max_length=64),
        ),
        migrations.AlterField(
            model_name='registration',
            name='event',
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='registrations', to='events.event', verbose_name='evenement'),
        ),
        migrations.AlterField(
            model_name='registration',
            name='token',
            field=models.CharField(default=registrations.models.new_token, editable=False, max_length=64),
        ),
        migrations.AlterField(
            model_name='workshopchoice',
            name='participant',
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='choices', to='registrations.participant'),
        ),
        migrations.AddConstraint(
            model_name='participant',
            constraint=models.UniqueConstraint(fields=('checkin_code',), name='participant_checkin_code_unique'),
        ),
        migrations.AddConstraint(
            model_name='registration',
            constraint=models.UniqueConstraint(fields=('token',), name='registration_token_unique'),
        ),
    ]
