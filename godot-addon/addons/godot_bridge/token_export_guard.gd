@tool
extends EditorExportPlugin
## Keeps [code]godot_bridge/token[/code] out of exported projects unless
## [code]godot_bridge/include_token_in_export[/code] is on.
##
## The exporter writes the project settings between [method _export_begin] and
## [method _export_end], so the token is blanked for that span and restored afterwards.

const BridgeConfig := preload("bridge_config.gd")

var _saved_token := ""


func _get_name() -> String:
	return "GodotBridgeTokenGuard"


func _export_begin(_features: PackedStringArray, _is_debug: bool, _path: String,
		_flags: int) -> void:
	_saved_token = str(ProjectSettings.get_setting(BridgeConfig.SETTING_TOKEN, ""))
	var include_token := bool(ProjectSettings.get_setting(
			BridgeConfig.SETTING_INCLUDE_TOKEN_IN_EXPORT, false))
	if include_token or _saved_token.is_empty():
		_saved_token = ""
		return
	# NOTE: This relies on the exporter reading Project Settings after _export_begin, as
	# Godot 4.6's EditorExportPlatform does; it has not run in a test, which has no editor.
	ProjectSettings.set_setting(BridgeConfig.SETTING_TOKEN, "")
	print_verbose("godot_bridge: left the pairing token out of this export.")


func _export_end() -> void:
	if _saved_token.is_empty():
		return
	ProjectSettings.set_setting(BridgeConfig.SETTING_TOKEN, _saved_token)
	_saved_token = ""
