"""The one exception type for mistakes a user can make (bad paths, options, files).

The command line prints its message as one line and exits with status 2; anything else is a bug
and keeps its traceback.
"""


class UserError(Exception):
    """A problem the user can fix; the message names the problem and the fix."""
