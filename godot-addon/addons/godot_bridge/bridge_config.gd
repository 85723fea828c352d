@tool
extends RefCounted
## Connection settings of the bridge.
##
## Command-line user arguments (after [code]--[/code]) win over Project Settings, and Project
## Settings win over the discovery files that a running daemon writes into the project's
## [code].godot/[/code] folder. With none of them the bridge uses [constant DEFAULT_URL].

const ADDON_VERSION := "0.1.0"
const PROTOCOL_VERSION := 1
const DEFAULT_URL := "ws://127.0.0.1:8080/godot"
const DISCOVERY_FILE := "res://.godot/godot_bridge/daemon.json"
const TOKEN_FILE := "res://.godot/godot_bridge/token"

const SETTING_DAEMON_URL := "godot_bridge/daemon_url"
const SETTING_TOKEN := "godot_bridge/token"
const SETTING_INSTANCE_NAME := "godot_bridge/instance_name"
const SETTING_FRAME_BUDGET_MS := "godot_bridge/frame_budget_ms"
const SETTING_ENABLED_IN_RELEASE := "godot_bridge/enabled_in_release"
const SETTING_INCLUDE_TOKEN_IN_EXPORT := "godot_bridge/include_token_in_export"

## Project Settings of the addon with their defaults and editor hints.
const SETTINGS: Array[Dictionary] = [
	{
		"name": SETTING_DAEMON_URL,
		"type": TYPE_STRING,
		"default": "",
		"hint": PROPERTY_HINT_PLACEHOLDER_TEXT,
		"hint_string": "Empty: read .godot/godot_bridge/daemon.json, else " + DEFAULT_URL,
	},
	{
		"name": SETTING_TOKEN,
		"type": TYPE_STRING,
		"default": "",
		"hint": PROPERTY_HINT_PASSWORD,
		"hint_string": "",
	},
	{
		"name": SETTING_INSTANCE_NAME,
		"type": TYPE_STRING,
		"default": "",
		"hint": PROPERTY_HINT_PLACEHOLDER_TEXT,
		"hint_string": "Optional name shown by the daemon, at most 64 characters",
	},
	{
		"name": SETTING_FRAME_BUDGET_MS,
		"type": TYPE_FLOAT,
		"default": 2.0,
		"hint": PROPERTY_HINT_RANGE,
		"hint_string": "0.1,16,0.1,suffix:ms",
	},
	{
		"name": SETTING_ENABLED_IN_RELEASE,
		"type": TYPE_BOOL,
		"default": false,
		"hint": PROPERTY_HINT_NONE,
		"hint_string": "",
	},
	{
		"name": SETTING_INCLUDE_TOKEN_IN_EXPORT,
		"type": TYPE_BOOL,
		"default": false,
		"hint": PROPERTY_HINT_NONE,
		"hint_string": "",
	},
]

const MAX_INSTANCE_NAME_LENGTH := 64

## WebSocket URL of the daemon's [code]/godot[/code] endpoint.
var url: String = DEFAULT_URL
## HTTP base URL of the same daemon, such as [code]http://127.0.0.1:8080[/code], for the
## editor dock.
var http_url: String = http_url_from_ws(DEFAULT_URL)
## Pairing token sent in the hello; empty when none is configured.
var token: String = ""
## [code]editor[/code] or [code]game[/code].
var role: String = "game"
## Optional name of this instance, empty for none.
var instance_name: String = ""
## Time per frame for running queued commands, in milliseconds.
var frame_budget_ms: float = 2.0
## Whether the bridge may connect at all in this build.
var enabled: bool = true


## Resolves every field from the command line, Project Settings and discovery files.
func resolve() -> void:
	var args := _parse_user_args(OS.get_cmdline_user_args())

	role = "editor" if Engine.is_editor_hint() else "game"
	if args.has("role"):
		var requested_role: String = args["role"]
		if requested_role == "editor" or requested_role == "game":
			role = requested_role
		else:
			push_error("godot_bridge: --bridge-role=%s is invalid; use editor or game." % requested_role)

	url = _resolve_url(args)
	http_url = http_url_from_ws(url)
	token = _resolve_token(args)
	instance_name = str(ProjectSettings.get_setting(SETTING_INSTANCE_NAME, ""))
	if instance_name.length() > MAX_INSTANCE_NAME_LENGTH:
		push_warning("godot_bridge: %s is longer than %d characters; it was shortened." % [
			SETTING_INSTANCE_NAME, MAX_INSTANCE_NAME_LENGTH])
		instance_name = instance_name.left(MAX_INSTANCE_NAME_LENGTH)

	frame_budget_ms = float(ProjectSettings.get_setting(SETTING_FRAME_BUDGET_MS, 2.0))
	if frame_budget_ms <= 0.0:
		push_warning("godot_bridge: %s must be above 0; using 2 ms." % SETTING_FRAME_BUDGET_MS)
		frame_budget_ms = 2.0

	enabled = _is_enabled_in_this_build()


## Returns the daemon's HTTP base URL for its WebSocket URL: [code]ws://[/code] becomes
## [code]http://[/code], [code]wss://[/code] becomes [code]https://[/code], and the
## [code]/godot[/code] path is dropped, because the daemon serves both on one port.
static func http_url_from_ws(ws_url: String) -> String:
	var result := ws_url
	if result.begins_with("wss://"):
		result = "https://" + result.trim_prefix("wss://")
	elif result.begins_with("ws://"):
		result = "http://" + result.trim_prefix("ws://")
	var path_start := result.find("/", result.find("://") + 3)
	return result.substr(0, path_start) if path_start >= 0 else result


## Returns true in release export templates, where the bridge stays off unless opted in.
static func is_release_build() -> bool:
	return OS.has_feature("template_release")


func _is_enabled_in_this_build() -> bool:
	if not is_release_build():
		return true
	if bool(ProjectSettings.get_setting(SETTING_ENABLED_IN_RELEASE, false)):
		return true
	print_verbose("godot_bridge: off in this release build (%s is false)." % SETTING_ENABLED_IN_RELEASE)
	return false


func _resolve_url(args: Dictionary) -> String:
	if args.has("url"):
		return args["url"]
	if args.has("port"):
		return "ws://127.0.0.1:%d/godot" % int(args["port"])

	var configured := str(ProjectSettings.get_setting(SETTING_DAEMON_URL, "")).strip_edges()
	if not configured.is_empty():
		return configured

	var discovered := _read_discovery_url()
	if not discovered.is_empty():
		return discovered
	return DEFAULT_URL


func _resolve_token(args: Dictionary) -> String:
	if args.has("token"):
		return args["token"]

	var configured := str(ProjectSettings.get_setting(SETTING_TOKEN, "")).strip_edges()
	if not configured.is_empty():
		return configured

	if not FileAccess.file_exists(TOKEN_FILE):
		return ""
	var text := FileAccess.get_file_as_string(TOKEN_FILE)
	if text.is_empty() and FileAccess.get_open_error() != OK:
		push_error("godot_bridge: cannot read %s: %s" % [
			TOKEN_FILE, error_string(FileAccess.get_open_error())])
		return ""
	return text.strip_edges()


func _read_discovery_url() -> String:
	if not FileAccess.file_exists(DISCOVERY_FILE):
		return ""
	var text := FileAccess.get_file_as_string(DISCOVERY_FILE)
	var data: Variant = JSON.parse_string(text)
	if not data is Dictionary or not (data as Dictionary).get("url") is String:
		push_error("godot_bridge: %s has no \"url\" string; delete it or restart the daemon." % [
			DISCOVERY_FILE])
		return ""
	return (data as Dictionary)["url"]


## Reads [code]--bridge-url=[/code], [code]--bridge-port=[/code], [code]--bridge-token=[/code]
## and [code]--bridge-role=[/code] into a dictionary keyed by url, port, token and role.
static func _parse_user_args(user_args: PackedStringArray) -> Dictionary:
	var parsed := {}
	for arg: String in user_args:
		if not arg.begins_with("--bridge-") or not arg.contains("="):
			continue
		var key := arg.get_slice("=", 0).trim_prefix("--bridge-")
		var value := arg.substr(arg.find("=") + 1)
		match key:
			"url":
				if value.begins_with("ws://") or value.begins_with("wss://"):
					parsed["url"] = value
				else:
					push_error("godot_bridge: --bridge-url=%s is invalid; use ws:// or wss://." % value)
			"port":
				if value.is_valid_int() and int(value) > 0 and int(value) < 65536:
					parsed["port"] = int(value)
				else:
					push_error("godot_bridge: --bridge-port=%s is invalid; use 1 to 65535." % value)
			"token", "role":
				parsed[key] = value
	return parsed
