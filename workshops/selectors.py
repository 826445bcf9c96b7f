"""Which workshop material a visitor may see and download."""

from events.models import Event
from regiodag.downloads import file_name
from workshops.models import Material


def public_material(material_id, filename):
    """Material anyone may download: not kept for participants, of an event that is public.
    The name in the link must be the file's own, so an old link does not fetch a new file."""
    material = (
        Material.objects.public()
        .exclude(file="")
        .filter(pk=material_id, workshop__round__event__in=Event.objects.published())
        .first()
    )
    if material is None or file_name(material.file) != filename:
        return None
    return material
