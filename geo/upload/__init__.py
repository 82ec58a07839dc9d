"""Users' own files on the map (issue 7): read safely, checked, in WGS84, with messages in zh and en.

layers = list_layers(upload.name, upload.getvalue())          # choose one when there are several
overlay = read_upload(upload.name, upload.getvalue(), layer=..., source_crs=None, datum="wgs84")
light = display_geometry(overlay, tolerance_deg)                # what to send to the browser
except UploadError as exc: exc.text(lang)                       # and note.text(lang) for overlay.notes
"""

from geo.upload.display import display_geometry
from geo.upload.formats import ACCEPTED_EXTENSIONS
from geo.upload.isolated import list_layers_isolated, read_upload_isolated
from geo.upload.limits import LIMITS, Limits
from geo.upload.messages import MESSAGES, Message, UploadError
from geo.upload.reader import Datum, Overlay, list_layers, read_upload

__all__ = [
    "ACCEPTED_EXTENSIONS",
    "LIMITS",
    "MESSAGES",
    "Datum",
    "Limits",
    "Message",
    "Overlay",
    "UploadError",
    "display_geometry",
    "list_layers",
    "list_layers_isolated",
    "read_upload",
    "read_upload_isolated",
]
