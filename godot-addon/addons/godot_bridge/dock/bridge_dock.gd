@tool
extends VBoxContainer
## The "Bridge" editor dock: shows whether the daemon is reachable and the editor's link is
## up, the connected instances, the latest jobs and webhook deliveries, and runs scene
## commands on the scene open in the editor.
##
## It reads [code]GET /overview[/code] every few seconds and after each event of the
## daemon's event stream. Only the editor plugin loads this script; the runtime autoload
## never does, so exported games do not carry its editor-only calls into play.

const BridgeConfig := preload("../bridge_config.gd")
const DaemonClient := preload("daemon_client.gd")

## Time between overview refreshes while the event stream is down, in seconds.
const POLL_INTERVAL_SEC := 3.0
## Time between overview refreshes while the event stream is up, in seconds.
const STREAM_POLL_INTERVAL_SEC := 15.0
## Delay that gathers a burst of events into one refresh, in seconds.
const EVENT_REFRESH_DELAY_SEC := 0.3
const NO_INSTANCE := ""
const AUTOLOAD_NODE_PATH := "/root/GodotBridge"

var _config := BridgeConfig.new()
var _client: DaemonClient
var _refresh_in_sec := 0.0
var _reachable := false
var _instances: Array[Dictionary] = []

var _status_label: RichTextLabel
var _instance_picker: OptionButton
var _instances_tree: Tree
var _jobs_tree: Tree
var _deliveries_tree: Tree
var _findings_tree: Tree
var _result_label: Label
var _validate_button: Button
var _reload_button: Button
var _load_button: Button


func _ready() -> void:
	name = "Bridge"
	_build_ui()
	_client = DaemonClient.new()
	add_child(_client)
	_client.overview_received.connect(_on_overview_received)
	_client.overview_failed.connect(_on_overview_failed)
	_client.command_finished.connect(_on_command_finished)
	_client.event_received.connect(_on_event_received)
	_client.stream_state_changed.connect(func(_connected: bool) -> void: _refresh_in_sec = 0.0)
	_reconfigure()
	_client.start_stream()


func _process(delta: float) -> void:
	_refresh_in_sec -= delta
	if _refresh_in_sec > 0.0:
		return
	if not _reachable:
		# The daemon may have started since, on another port: read the settings again.
		_reconfigure()
	_client.refresh_overview()
	_refresh_in_sec = STREAM_POLL_INTERVAL_SEC if _client.is_streaming() else POLL_INTERVAL_SEC


func _reconfigure() -> void:
	_config.resolve()
	_client.configure(_config.http_url, _config.token)


# --- Building the view ---


func _build_ui() -> void:
	size_flags_vertical = Control.SIZE_EXPAND_FILL

	_status_label = RichTextLabel.new()
	_status_label.bbcode_enabled = true
	_status_label.fit_content = true
	_status_label.selection_enabled = true
	_status_label.text = "Looking for the daemon..."
	add_child(_status_label)

	var actions := HFlowContainer.new()
	add_child(actions)
	_instance_picker = OptionButton.new()
	_instance_picker.tooltip_text = "Instance that reload, load and live validation act on."
	actions.add_child(_instance_picker)
	_validate_button = _add_button(actions, "Validate",
			"Validate the scene open in the editor: static, plus live on the chosen instance.",
			_on_validate_pressed)
	_reload_button = _add_button(actions, "Reload",
			"Reload the current scene on the chosen instance.", _on_reload_pressed)
	_load_button = _add_button(actions, "Load here",
			"Load the scene open in the editor on the chosen instance.", _on_load_pressed)

	_result_label = Label.new()
	_result_label.autowrap_mode = TextServer.AUTOWRAP_WORD_SMART
	add_child(_result_label)

	_findings_tree = _add_tree("Findings (double-click to open)", ["Kind", "Message", "Where"])
	_findings_tree.item_activated.connect(_on_finding_activated)
	_instances_tree = _add_tree("Instances", ["Instance", "Role", "Current scene"])
	_jobs_tree = _add_tree("Jobs", ["Job", "Status", "Progress"])
	_deliveries_tree = _add_tree("Webhook deliveries", ["Event", "Outcome", "Target"])
	_update_instance_picker()


func _add_button(parent: Control, text: String, tooltip: String, handler: Callable) -> Button:
	var button := Button.new()
	button.text = text
	button.tooltip_text = tooltip
	button.pressed.connect(handler)
	parent.add_child(button)
	return button


func _add_tree(title: String, columns: Array[String]) -> Tree:
	var label := Label.new()
	label.text = title
	label.add_theme_font_size_override("font_size", 13)
	add_child(label)
	var tree := Tree.new()
	tree.columns = columns.size()
	tree.column_titles_visible = true
	tree.hide_root = true
	tree.custom_minimum_size = Vector2(0, 90)
	tree.size_flags_vertical = Control.SIZE_EXPAND_FILL
	for index in columns.size():
		tree.set_column_title(index, columns[index])
		tree.set_column_expand(index, index == 1)
	add_child(tree)
	return tree


# --- Overview ---


func _on_overview_received(overview: Dictionary) -> void:
	_reachable = true
	var daemon: Dictionary = overview.get("daemon", {})
	var lines: PackedStringArray = []
	lines.append("[color=#8fdc8f]Daemon reachable[/color] at %s, version %s, up %s." % [
		_client.get_base_url(), str(daemon.get("version", "?")),
		_format_duration(int(daemon.get("uptime_seconds", 0)))])
	lines.append(_describe_editor_link())
	if not _client.is_streaming():
		lines.append("Event stream not connected yet; refreshing every %d s." % int(POLL_INTERVAL_SEC))
	for warning: Variant in _array_of(overview, "warnings"):
		lines.append("[color=#e0c060]%s[/color]" % str(warning))
	_status_label.text = "\n".join(lines)

	_instances.assign(_array_of(overview, "instances"))
	_fill_instances()
	_fill_jobs(_array_of(overview, "jobs"))
	_fill_deliveries(_array_of(overview, "deliveries"))
	_update_instance_picker()


func _on_overview_failed(message: String) -> void:
	_reachable = false
	var project_dir := ProjectSettings.globalize_path("res://").trim_suffix("/")
	_status_label.text = ("[color=#e07070]%s[/color]\n" % message
			+ "Start it with [code]npx godot-bridge start --project %s[/code]" % project_dir
			+ " and this dock connects on its own. Run [code]npx godot-bridge doctor[/code]"
			+ " in the project folder to check the set-up.")
	_instances.clear()
	_fill_instances()
	_update_instance_picker()


func _describe_editor_link() -> String:
	var bridge := get_node_or_null(AUTOLOAD_NODE_PATH)
	if bridge == null or not bridge.has_method("is_linked"):
		return ("[color=#e0c060]The GodotBridge autoload is missing[/color]: disable and enable "
				+ "the plugin, or run [code]npx godot-bridge install-addon[/code].")
	if bool(bridge.call("is_linked")):
		return "Editor linked as [b]%s[/b]." % str(bridge.call("get_instance_id_on_daemon"))
	return "[color=#e0c060]Editor not linked yet[/color]; it retries on its own."


func _fill_instances() -> void:
	var root := _reset_tree(_instances_tree)
	for instance: Dictionary in _instances:
		var item := _instances_tree.create_item(root)
		item.set_text(0, _instance_label(instance))
		var role := str(instance.get("role", ""))
		if bool(instance.get("xr_active", false)):
			role += ", XR"
		item.set_text(1, role)
		var scene: Variant = instance.get("current_scene")
		item.set_text(2, str(scene) if scene is String else "(none)")
		item.set_tooltip_text(0, "%s on %s, Godot %s" % [str(instance.get("id", "")),
				str(instance.get("platform", "?")), str(instance.get("engine_version", "?"))])


func _fill_jobs(jobs: Array) -> void:
	var root := _reset_tree(_jobs_tree)
	for job: Variant in jobs:
		if not job is Dictionary:
			continue
		var entry: Dictionary = job
		var item := _jobs_tree.create_item(root)
		item.set_text(0, str(entry.get("id", "?")))
		item.set_text(1, "%s %s" % [entry.get("type", ""), entry.get("status", "")])
		item.set_text(2, _format_progress(entry.get("progress")))


func _fill_deliveries(deliveries: Array) -> void:
	var root := _reset_tree(_deliveries_tree)
	for delivery: Variant in deliveries:
		if not delivery is Dictionary:
			continue
		var entry: Dictionary = delivery
		var item := _deliveries_tree.create_item(root)
		item.set_text(0, str(entry.get("event", "?")))
		var outcome := str(entry.get("status", ""))
		var code: Variant = entry.get("status_code")
		if code != null:
			outcome += " (HTTP %s)" % str(code)
		item.set_text(1, outcome)
		item.set_text(2, str(entry.get("webhook_id", "")))


# --- Commands ---


func _on_validate_pressed() -> void:
	var scene_path := _edited_scene_path()
	if scene_path.is_empty():
		return
	var target := _chosen_instance()
	var body := {"scene_path": scene_path, "mode": "both" if target != NO_INSTANCE else "static"}
	_result_label.text = "Validating %s..." % scene_path
	_client.send_command("validate", HTTPClient.METHOD_POST, _with_instance("/scene/validate", target),
			body)


func _on_reload_pressed() -> void:
	var target := _chosen_instance()
	if target == NO_INSTANCE:
		_result_label.text = "Choose an instance first."
		return
	_result_label.text = "Reloading the current scene on %s..." % target
	_client.send_command("reload", HTTPClient.METHOD_POST, _with_instance("/scene/reload", target),
			{})


func _on_load_pressed() -> void:
	var scene_path := _edited_scene_path()
	var target := _chosen_instance()
	if scene_path.is_empty():
		return
	if target == NO_INSTANCE:
		_result_label.text = "Choose an instance first."
		return
	_result_label.text = "Loading %s on %s..." % [scene_path, target]
	_client.send_command("load", HTTPClient.METHOD_POST, _with_instance("/scene/load", target),
			{"scene_path": scene_path})


func _on_command_finished(action: String, status: int, body: Dictionary) -> void:
	if status != 200:
		var error: Dictionary = body.get("error", {}) if body.get("error") is Dictionary else {}
		var reason := str(error.get("message", "no answer from the daemon"))
		_result_label.text = "%s failed%s: %s" % [action.capitalize(),
				" (HTTP %d)" % status if status > 0 else "", reason]
		return
	match action:
		"validate":
			_show_findings(body)
		"reload", "load":
			var scene: Dictionary = body.get("scene", {}) if body.get("scene") is Dictionary else {}
			_result_label.text = "%s %s on %s in %s ms." % [
				"Loaded" if action == "load" else "Reloaded", str(scene.get("path", "?")),
				str(body.get("instance", "?")), str(body.get("load_ms", "?"))]
	_refresh_in_sec = 0.0


func _show_findings(result: Dictionary) -> void:
	var root := _reset_tree(_findings_tree)
	var count := 0
	for kind: String in ["errors", "warnings"]:
		for finding: Variant in result.get(kind, []):
			if not finding is Dictionary:
				continue
			var entry: Dictionary = finding
			var item := _findings_tree.create_item(root)
			var file := str(entry.get("file", ""))
			var line := int(entry.get("line", 0))
			item.set_text(0, "%s (%s)" % [kind.trim_suffix("s"), str(entry.get("pass", ""))])
			item.set_custom_color(0, Color.INDIAN_RED if kind == "errors" else Color.GOLDENROD)
			item.set_text(1, str(entry.get("message", "")))
			item.set_tooltip_text(1, str(entry.get("message", "")))
			item.set_text(2, "%s:%d" % [file, line] if line > 0 else file)
			item.set_metadata(0, {"file": file, "line": line})
			count += 1
	var passes: Array = result.get("passes_run", [])
	var verdict := "valid" if bool(result.get("valid", false)) else "invalid"
	_result_label.text = "%s is %s (%s pass, %d finding%s)." % [
		str(result.get("scene_path", "")), verdict, " and ".join(PackedStringArray(passes)),
		count, "" if count == 1 else "s"]


func _on_finding_activated() -> void:
	var item := _findings_tree.get_selected()
	if item == null or not item.get_metadata(0) is Dictionary:
		return
	var where: Dictionary = item.get_metadata(0)
	open_location(str(where.get("file", "")), int(where.get("line", 0)))


## Opens [param file] in the editor: a scene in the scene editor, a script in the script
## editor at [param line], any other resource in the inspector.
static func open_location(file: String, line: int) -> void:
	if not file.begins_with("res://") or not ResourceLoader.exists(file):
		push_error("godot_bridge: cannot open \"%s\": not a res:// path of this project." % file)
		return
	if file.ends_with(".tscn") or file.ends_with(".scn"):
		EditorInterface.open_scene_from_path(file)
		return
	var resource := load(file)
	if resource is Script:
		# NOTE: Passes the finding's 1-based line as it is, which is how Godot 4's
		# EditorInterface.edit_script counts; not yet run in a real editor.
		EditorInterface.edit_script(resource as Script, line if line > 0 else -1)
	elif resource != null:
		EditorInterface.edit_resource(resource)


# --- Helpers ---


func _edited_scene_path() -> String:
	var root := EditorInterface.get_edited_scene_root()
	if root == null or root.scene_file_path.is_empty():
		_result_label.text = "Open a saved scene in the editor first."
		return ""
	return root.scene_file_path


func _chosen_instance() -> String:
	var index := _instance_picker.selected
	if index < 0:
		return NO_INSTANCE
	return str(_instance_picker.get_item_metadata(index))


func _update_instance_picker() -> void:
	var previous := _chosen_instance() if _instance_picker.item_count > 0 else NO_INSTANCE
	_instance_picker.clear()
	_instance_picker.add_item("No instance (static only)")
	_instance_picker.set_item_metadata(0, NO_INSTANCE)
	for instance: Dictionary in _instances:
		var id := str(instance.get("id", ""))
		_instance_picker.add_item(_instance_label(instance))
		var index := _instance_picker.item_count - 1
		_instance_picker.set_item_metadata(index, id)
		if id == previous:
			_instance_picker.select(index)
	# With exactly one game (a headset, say), preselect it: it is the usual target.
	if previous == NO_INSTANCE:
		var games := _instances.filter(func(i: Dictionary) -> bool: return i.get("role") == "game")
		if games.size() == 1:
			for index in _instance_picker.item_count:
				if _instance_picker.get_item_metadata(index) == games[0].get("id"):
					_instance_picker.select(index)
	var has_instance := _instances.size() > 0
	_reload_button.disabled = not has_instance
	_load_button.disabled = not has_instance


func _on_event_received(_event_name: String, _data: Dictionary) -> void:
	_refresh_in_sec = minf(_refresh_in_sec, EVENT_REFRESH_DELAY_SEC)


static func _with_instance(path: String, instance_id: String) -> String:
	if instance_id == NO_INSTANCE:
		return path
	return "%s?instance=%s" % [path, instance_id.uri_encode()]


static func _instance_label(instance: Dictionary) -> String:
	var id := str(instance.get("id", "?"))
	var instance_name: Variant = instance.get("name")
	if instance_name is String and not (instance_name as String).is_empty():
		return "%s (%s)" % [instance_name, id]
	return id


## Returns the array under [param key], or an empty one when it is absent or not an array.
static func _array_of(data: Dictionary, key: String) -> Array:
	var value: Variant = data.get(key)
	return value if value is Array else []


static func _reset_tree(tree: Tree) -> TreeItem:
	tree.clear()
	return tree.create_item()


static func _format_progress(progress: Variant) -> String:
	if progress is float or progress is int:
		var value := float(progress)
		return "%d%%" % roundi(value * 100.0 if value <= 1.0 else value)
	if progress is Dictionary:
		var parts: Dictionary = progress
		if parts.has("done") and parts.has("total"):
			return "%s / %s" % [str(parts["done"]), str(parts["total"])]
	return ""


static func _format_duration(seconds: int) -> String:
	if seconds < 60:
		return "%d s" % seconds
	var minutes := floori(seconds / 60.0)
	if minutes < 60:
		return "%d min" % minutes
	return "%d h %d min" % [floori(minutes / 60.0), minutes % 60]
