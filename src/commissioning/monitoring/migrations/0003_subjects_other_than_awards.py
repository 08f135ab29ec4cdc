"""A schedule may monitor something else than an award (a contract, registered by the app
that owns it). Every schedule names what it monitors and the organisation that reports; the
schedules of awards are filled in from their awards."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models




def fill_from_awards(apps, schema_editor):
    Schedule = apps.get_model("monitoring", "MonitoringSchedule")
    for schedule in Schedule.objects.filter(award__isnull=False).select_related("award"):
        schedule.subject_kind = "award"
        schedule.subject_reference = schedule.award.reference
        schedule.organisation_id = schedule.award.organisation_id
        schedule.fund_id = schedule.award.fund_id
        schedule.save(
            update_fields=["subject_kind", "subject_reference", "organisation", "fund"]
        )


class Migration(migrations.Migration):

    dependencies = [
        ('awards', '0004_bank_details_and_payments'),
        ('monitoring', '0002_meetings_evaluation_performance_retention'),
        ('offices', '0004_fund_payment_schedule'),
        ('organisations', '0003_due_diligence'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='monitoringreturn',
            name='items',
            field=models.JSONField(blank=True, default=dict, verbose_name='on the items reported on'),
        ),
        migrations.AddField(
            model_name='monitoringschedule',
            name='fund',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='offices.fund'),
        ),
        migrations.AddField(
            model_name='monitoringschedule',
            name='items',
            field=models.JSONField(blank=True, default=list, verbose_name='items reported on'),
        ),
        migrations.AddField(
            model_name='monitoringschedule',
            name='measures',
            field=models.JSONField(blank=True, default=list, verbose_name='measures reported against'),
        ),
        migrations.AddField(
            model_name='monitoringschedule',
            name='organisation',
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.PROTECT, related_name='monitoring_schedules', to='organisations.organisation', verbose_name='organisation reporting'),
        ),
        migrations.AddField(
            model_name='monitoringschedule',
            name='subject_ends_on',
            field=models.DateField(blank=True, null=True, verbose_name='ends'),
        ),
        migrations.AddField(
            model_name='monitoringschedule',
            name='subject_kind',
            field=models.CharField(default='award', max_length=30, verbose_name='monitors'),
        ),
        migrations.AddField(
            model_name='monitoringschedule',
            name='subject_reference',
            field=models.CharField(max_length=60, null=True, verbose_name='reference'),
        ),
        migrations.AddField(
            model_name='monitoringschedule',
            name='subject_starts_on',
            field=models.DateField(blank=True, null=True, verbose_name='starts'),
        ),
        migrations.AddField(
            model_name='monitoringschedule',
            name='subject_title',
            field=models.CharField(blank=True, max_length=300, verbose_name='title'),
        ),
        migrations.AlterField(
            model_name='duedatechange',
            name='award',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='monitoring_date_changes', to='awards.award'),
        ),
        migrations.AlterField(
            model_name='monitoringreturn',
            name='award',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='monitoring_returns', to='awards.award'),
        ),
        migrations.AlterField(
            model_name='monitoringschedule',
            name='award',
            field=models.OneToOneField(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='monitoring_schedule', to='awards.award'),
        ),
        migrations.RunPython(fill_from_awards, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="monitoringschedule",
            name="subject_reference",
            field=models.CharField(max_length=60, verbose_name="reference"),
        ),
        migrations.AlterField(
            model_name="monitoringschedule",
            name="organisation",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="monitoring_schedules",
                to="organisations.organisation",
                verbose_name="organisation reporting",
            ),
        ),
        migrations.AddIndex(
            model_name='monitoringschedule',
            index=models.Index(fields=['organisation', 'subject_reference'], name='monitoring__organis_bc63e8_idx'),
        ),
        migrations.AddConstraint(
            model_name='monitoringreturn',
            constraint=models.UniqueConstraint(fields=('schedule', 'number'), name='unique_return_number_in_schedule'),
        ),
        migrations.AddConstraint(
            model_name='monitoringschedule',
            constraint=models.UniqueConstraint(fields=('subject_reference',), name='one_schedule_per_subject'),
        ),
        migrations.AddConstraint(
            model_name='monitoringschedule',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('award__isnull', False), ('subject_kind', 'award')), models.Q(('award__isnull', True), models.Q(('subject_kind', 'award'), _negated=True)), _connector='OR'), name='schedule_of_an_award_or_another_subject'),
        ),
    ]
