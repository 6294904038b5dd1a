"""Pingback 1.0 (https://www.hixie.ch/specs/pingback/pingback): reading the XML-RPC call
`pingback.ping(source, target)` and writing the answers, faults included.

The receiver takes the call at its Webmention endpoint's address (the posts advertise it
with `<link rel="pingback">`): an XML body is a Pingback, a form is a Webmention. Like
every ping it is stored pending and answered at once; the source is fetched later, by the
verifier, so "no link to the target" (0x0011) is the verifier's verdict, never an answer.

The call is parsed with the standard library's XML-RPC unmarshaller, fed by an expat
parser that refuses a DOCTYPE: no entity can be declared, so none can expand (the
"billion laughs") or name a file or URL to read (XXE), as defusedxml would ensure.
"""

import xmlrpc.client
from xml.parsers import expat

METHOD = "pingback.ping"
XML_TYPES = ("text/xml", "application/xml")

# The spec's fault codes: 0x001X the source, 0x002X the target, 0x003X neither.
GENERIC = 0x0000
SOURCE_NOT_FOUND = 0x0010
NO_LINK_TO_TARGET = 0x0011  # the verifier's note; not answered, the source is fetched later
TARGET_NOT_FOUND = 0x0020
TARGET_NOT_PINGABLE = 0x0021
ALREADY_REGISTERED = 0x0030
ACCESS_DENIED = 0x0031
UPSTREAM_ERROR = 0x0032
# XML-RPC's own, from the fault code interoperability specification
# (http://xmlrpc-epi.sourceforge.net/specs/rfc.fault_codes.php).
NOT_WELL_FORMED = -32700
NO_SUCH_METHOD = -32601
BAD_PARAMETERS = -32602


class _DeclarationRefused(Exception):
    pass


def is_call(environ):
    """True for a POST whose body is XML: a Pingback, not a Webmention form."""
    content_type = environ.get("CONTENT_TYPE", "").partition(";")[0].strip().lower()
    return environ.get("REQUEST_METHOD") == "POST" and content_type in XML_TYPES


def read_call(body):
    """(source, target) of a pingback.ping call, the POSTed `body` (bytes);
    xmlrpc.client.Fault for anything but a pingback.ping call with two strings."""
    method, params = parse(body)
    if method != METHOD:
        raise xmlrpc.client.Fault(NO_SUCH_METHOD, f"Only {METHOD} is answered here.")
    if len(params) != 2 or not all(isinstance(param, str) for param in params):
        raise xmlrpc.client.Fault(
            BAD_PARAMETERS, f"{METHOD} takes two strings: the source URI and the target URI."
        )
    return params


def parse(body):
    """(method name, parameters) of an XML-RPC call; Fault NOT_WELL_FORMED for anything else."""
    # Wired as xmlrpc.client.ExpatParser wires them, plus the refusal of declarations.
    unmarshaller = xmlrpc.client.Unmarshaller()
    unmarshaller.xml(None, None)  # strings arrive decoded: none to decode again
    parser = expat.ParserCreate()
    parser.StartElementHandler = unmarshaller.start
    parser.EndElementHandler = unmarshaller.end
    parser.CharacterDataHandler = unmarshaller.data
    parser.StartDoctypeDeclHandler = _refuse_declarations
    parser.EntityDeclHandler = _refuse_declarations
    try:
        parser.Parse(body, True)
        # close() raises a Fault for a <methodResponse> holding one: the sender's words,
        # never passed on as ours.
        params = unmarshaller.close()
        method = unmarshaller.getmethodname()
    except Exception as error:  # expat's, the unmarshaller's (ValueError, IndexError...)
        raise xmlrpc.client.Fault(
            NOT_WELL_FORMED, f"Not an XML-RPC call: {type(error).__name__}: {error}"
        ) from None
    return method, params


def _refuse_declarations(*_args):
    raise _DeclarationRefused("a DOCTYPE or entity declaration is not accepted")


def fault_xml(fault):
    """The XML-RPC answer carrying `fault`."""
    return xmlrpc.client.dumps(fault, methodresponse=True)


def success_xml(message):
    """The XML-RPC answer to a call that succeeded: the spec's string for a human."""
    return xmlrpc.client.dumps((message,), methodresponse=True)
