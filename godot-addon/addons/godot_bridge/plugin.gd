@tool
extends EditorPlugin
## Editor side of godot-bridge: registers the [code]GodotBridge[/code] autoload, the
## [code]godot_bridge/[/code] Project Settings and the "Bridge" dock, and keeps the pairing
## token out of exports unless [code]godot_bridge/include_token_in_export[/code] is on.

const BridgeConfig := preload("bridge_config.gd")
const TokenExportGuard := preload("token_export_guard.gd")
const BridgeDock := preload("dock/bridge_dock.gd")

const AUTOLOAD_NAME := "GodotBridge"
const AUTOLOAD_PATH := "res://addons/godot_bridge/bridge.gd"

var _export_guard: TokenExportGuard
var _dock: BridgeDock


func _enable_plugin() -> void:
	add_autoload_singleton(AUTOLOAD_NAME, AUTOLOAD_PATH)


func _disable_plugin() -> void:
	remove_autoload_singleton(AUTOLOAD_NAME)


func _enter_tree() -> void:
	_register_settings()
	_export_guard = TokenExportGuard.new()
	add_export_plugin(_export_guard)
	_dock = BridgeDock.new()
	add_control_to_dock(DOCK_SLOT_RIGHT_UL, _dock)


func _exit_tree() -> void:
	remove_export_plugin(_export_guard)
	_export_guard = null
	if _dock != null:
		remove_control_from_docks(_dock)
		_dock.queue_free()
		_dock = null


func _register_settings() -> void:
	for setting: Dictionary in BridgeConfig.SETTINGS:
		var setting_name: String = setting["name"]
		if not ProjectSettings.has_setting(setting_name):
			ProjectSettings.set_setting(setting_name, setting["default"])
		ProjectSettings.set_initial_value(setting_name, setting["default"])
		ProjectSettings.add_property_info({
			"name": setting_name,
			"type": setting["type"],
			"hint": setting["hint"],
			"hint_string": setting["hint_string"],
		})
		ProjectSettings.set_as_basic(setting_name, true)
