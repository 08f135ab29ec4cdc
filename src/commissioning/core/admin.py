from django.contrib import admin
from django.utils.translation import gettext_lazy as _

admin.site.site_header = _("pcc-commissioning administration")
admin.site.site_title = _("pcc-commissioning")
admin.site.index_title = _("Office set-up")
