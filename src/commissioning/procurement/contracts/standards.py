"""The national frameworks a victims' service contract is recorded against (CUM, ESX 1.2).

These are national, the same for every office in England and Wales: the five national
commissioning standards of the Victims' Funding Strategy (Ministry of Justice, 2022) and the
twelve rights of the Code of Practice for Victims of Crime (the Victims' Code, 2020). Which of
them a contract supports, and how, is recorded against the contract and reported on in its
returns."""

from django.utils.translation import gettext_lazy as _

VFS_STANDARDS = {
    "victims_at_centre": _("Victims at the centre of commissioning"),
    "whole_system": _("A whole-system approach to commissioning"),
    "equitable_access": _("Equitable access to services"),
    "reporting_and_evaluation": _("Clear and consistent mechanisms for reporting and evaluation"),
    "sustainable_funding": _("Promote sustainable funding"),
}

VICTIMS_CODE_RIGHTS = {
    "right_1": _("Right 1: to be able to understand and to be understood"),
    "right_2": _("Right 2: to have the details of the crime recorded without unjustified delay"),
    "right_3": _("Right 3: to be provided with information when reporting the crime"),
    "right_4": _(
        "Right 4: to be referred to services that support victims and have services and "
        "support tailored to your needs"
    ),
    "right_5": _("Right 5: to be provided with information about compensation"),
    "right_6": _(
        "Right 6: to be provided with information about the investigation and prosecution"
    ),
    "right_7": _("Right 7: to make a Victim Personal Statement"),
    "right_8": _(
        "Right 8: to be given information about the trial, trial process and your role as a witness"
    ),
    "right_9": _("Right 9: to be given information about the outcome of the case and any appeals"),
    "right_10": _("Right 10: to be paid expenses and have property returned"),
    "right_11": _("Right 11: to be given information about the offender following a conviction"),
    "right_12": _("Right 12: to make a complaint about your rights not being met"),
}
