"""(being written)"""

from campaign.lobby.blueprints import lobby  # noqa: F401
