"""The public download of workshop material (participants' material: registrations.views)."""

from django.http import Http404

from regiodag.downloads import file_response
from workshops.selectors import public_material


def material_file(request, material_id, filename):
    material = public_material(material_id, filename)
    if material is None:
        raise Http404
    return file_response(material.file)
