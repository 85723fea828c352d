@tool
extends RefCounted
## Runs the daemon's scene commands: scene.info, scene.load, scene.reload, scene.validate and
## scene.preload.
##
## Commands that read scenes from disk use threaded loading and advance in [method poll], once
## per frame, so the main loop never waits for the disk. They run one after another, so the
## engine messages captured while one runs belong to that command. Each finished command emits
## [signal command_finished] with a JSON-RPC [code]result[/code] or [code]error[/code] member.

## Emitted when a command finished; [param response] holds either "result" or "error".
signal command_finished(request_id: Variant, response: Dictionary)

const EngineLogCapture := preload("engine_log_capture.gd")

const ERR_METHOD_NOT_FOUND := -32601
const ERR_INVALID_PARAMS := -32602
const ERR_SCENE_NOT_FOUND := -32010
const ERR_SCENE_FAILED := -32011
const ERR_NO_CURRENT_SCENE := -32012
const ERR_SCENE_CHANGE_IN_PROGRESS := -32013

## Time the scene tree may take to make a loaded scene current, in milliseconds.
const SCENE_SWAP_TIMEOUT_MSEC := 10000
## Preloaded scenes kept alive so the resource cache holds them; the oldest goes first.
const MAX_PRELOADED_SCENES := 32

const STAGE_WAITING := 0
const STAGE_LOADING := 1
const STAGE_SWAPPING := 2


## One command that spans several frames.
class Operation:
	extends RefCounted

	var request_id: Variant
	var method: String
	var scene_path: String
	## A ResourceLoader.CacheMode value. NOTE: typed int because @gdscript-analyzer/core 0.6.1
	## reads a native enum type on a parameter or inner-class member as its class.
	var cache_mode: int
	var capture_id: int
	var started_usec: int
	var stage: int
	var previous_scene_id: int
	var swap_started_msec: int


var _tree: SceneTree
var _logger: EngineLogCapture
var _operations: Array[Operation] = []
var _preloaded: Dictionary[String, Resource] = {}


func _init(tree: SceneTree, logger: EngineLogCapture) -> void:
	_tree = tree
	_logger = logger


## Starts one request. scene.info finishes at once; the others finish in a later [method poll].
func start(request_id: Variant, method: String, params: Dictionary) -> void:
	match method:
		"scene.info":
			_emit_result(request_id, describe_current_scene())
		"scene.load":
			var path := _checked_scene_path(request_id, params)
			if not path.is_empty():
				_start_scene_change(request_id, method, path, ResourceLoader.CACHE_MODE_REUSE)
		"scene.reload":
			var current := get_current_scene()
			if current == null or current.scene_file_path.is_empty():
				_emit_error(request_id, ERR_NO_CURRENT_SCENE,
						"There is no current scene loaded from a file to reload.")
			else:
				_start_scene_change(request_id, method, current.scene_file_path,
						ResourceLoader.CACHE_MODE_REPLACE)
		"scene.validate":
			var path := _checked_scene_path(request_id, params)
			if not path.is_empty():
				_queue_operation(request_id, method, path, ResourceLoader.CACHE_MODE_IGNORE_DEEP)
		"scene.preload":
			var path := _checked_scene_path(request_id, params)
			if not path.is_empty():
				_queue_operation(request_id, method, path, ResourceLoader.CACHE_MODE_REUSE)
		_:
			_emit_error(request_id, ERR_METHOD_NOT_FOUND,
					"Unknown method \"%s\"; the addon handles scene.info, scene.load, " % method
					+ "scene.reload, scene.validate and scene.preload.")


## Advances the oldest command, and the ones after it while each finishes and time is left
## before [param deadline_usec] (a [method Time.get_ticks_usec] value).
func poll(deadline_usec: int) -> void:
	while not _operations.is_empty():
		if not _advance(_operations[0]):
			return
		_operations.pop_front()
		if Time.get_ticks_usec() >= deadline_usec:
			return


## Returns true while a scene.load or scene.reload is queued or running.
func is_changing_scene() -> bool:
	for operation: Operation in _operations:
		if operation.method == "scene.load" or operation.method == "scene.reload":
			return true
	return false


## Returns the number of commands still running.
func get_pending_count() -> int:
	return _operations.size()


## Returns the scene the commands act on: the edited scene in the editor, else the tree's
## current scene.
func get_current_scene() -> Node:
	if Engine.is_editor_hint():
		var editor: Object = Engine.get_singleton("EditorInterface")
		return editor.call("get_edited_scene_root") as Node if editor != null else null
	return _tree.current_scene


## Returns the SceneInfo of the current scene; all fields are null or 0 without one.
func describe_current_scene() -> Dictionary:
	var current := get_current_scene()
	if current == null:
		return {"path": null, "root_name": null, "root_type": null, "node_count": 0}
	return {
		"path": current.scene_file_path if not current.scene_file_path.is_empty() else null,
		"root_name": String(current.name),
		"root_type": current.get_class(),
		"node_count": _count_nodes(current),
	}


func _checked_scene_path(request_id: Variant, params: Dictionary) -> String:
	var value: Variant = params.get("scene_path")
	if not value is String:
		_emit_error(request_id, ERR_INVALID_PARAMS,
				"params.scene_path is missing; pass a res:// path to a .tscn or .scn file.")
		return ""

	var path: String = value
	var has_scene_extension := path.ends_with(".tscn") or path.ends_with(".scn")
	if not path.begins_with("res://") or not has_scene_extension or path.contains(".."):
		_emit_error(request_id, ERR_INVALID_PARAMS,
				"scene_path \"%s\" is invalid; pass a res:// path that ends in .tscn or .scn." % path)
		return ""
	if not ResourceLoader.exists(path):
		_emit_error(request_id, ERR_SCENE_NOT_FOUND, "Scene %s does not exist." % path)
		return ""
	return path


func _start_scene_change(request_id: Variant, method: String, path: String,
		cache_mode: int) -> void:
	if is_changing_scene():
		_emit_error(request_id, ERR_SCENE_CHANGE_IN_PROGRESS,
				"Another scene change is in progress; retry when it finishes.")
		return
	_queue_operation(request_id, method, path, cache_mode)


func _queue_operation(request_id: Variant, method: String, path: String,
		cache_mode: int) -> void:
	var operation := Operation.new()
	operation.request_id = request_id
	operation.method = method
	operation.scene_path = path
	operation.cache_mode = cache_mode
	operation.stage = STAGE_WAITING
	_operations.append(operation)


## Returns true when the operation has finished and sent its response.
func _advance(operation: Operation) -> bool:
	match operation.stage:
		STAGE_WAITING:
			return _advance_waiting(operation)
		STAGE_LOADING:
			return _advance_loading(operation)
		STAGE_SWAPPING:
			return _advance_swapping(operation)
	return true


## Starts the threaded load and the capture of engine messages. The time a command waits in
## the queue does not count towards its load_ms.
func _advance_waiting(operation: Operation) -> bool:
	operation.started_usec = Time.get_ticks_usec()
	operation.capture_id = _logger.begin_capture()
	var error := ResourceLoader.load_threaded_request(operation.scene_path, "PackedScene", false,
			operation.cache_mode as ResourceLoader.CacheMode)
	if error != OK:
		_fail(operation, ERR_SCENE_FAILED, "Loading %s could not start: %s." % [
			operation.scene_path, error_string(error)])
		return true
	operation.stage = STAGE_LOADING
	return false


func _advance_loading(operation: Operation) -> bool:
	var status := ResourceLoader.load_threaded_get_status(operation.scene_path)
	if status == ResourceLoader.THREAD_LOAD_IN_PROGRESS:
		return false

	var packed: PackedScene = null
	if status == ResourceLoader.THREAD_LOAD_LOADED:
		packed = ResourceLoader.load_threaded_get(operation.scene_path) as PackedScene

	if operation.method == "scene.validate":
		_finish_validation(operation, packed)
		return true
	if packed == null:
		_fail(operation, ERR_SCENE_FAILED, "Scene %s failed to load." % operation.scene_path)
		return true
	if operation.method == "scene.preload":
		_keep_preloaded(operation.scene_path, packed)
		_succeed(operation, {
			"scene_path": operation.scene_path,
			"load_ms": _elapsed_ms(operation),
			"cached": true,
		})
		return true
	return _swap_to(operation, packed)


func _swap_to(operation: Operation, packed: PackedScene) -> bool:
	var current := get_current_scene()
	operation.previous_scene_id = current.get_instance_id() if current != null else 0
	operation.swap_started_msec = Time.get_ticks_msec()

	var error := _change_scene(operation, packed)
	if error != OK:
		_fail(operation, ERR_SCENE_FAILED, "Scene %s could not become the current scene: %s." % [
			operation.scene_path, error_string(error)])
		return true
	operation.stage = STAGE_SWAPPING
	return _advance_swapping(operation)


func _change_scene(operation: Operation, packed: PackedScene) -> Error:
	if not Engine.is_editor_hint():
		return _tree.change_scene_to_packed(packed)

	# NOTE: The editor path opens the scene in a tab; it has not run in a test, because tests
	# use the web export template, which has no editor.
	var editor: Object = Engine.get_singleton("EditorInterface")
	if editor == null:
		return ERR_UNAVAILABLE
	if operation.method == "scene.reload":
		editor.call("reload_scene_from_path", operation.scene_path)
	else:
		editor.call("open_scene_from_path", operation.scene_path)
	operation.previous_scene_id = 0
	return OK


## Finishes once the new scene is current and inside the tree. The scene tree swaps scenes a
## frame or two after change_scene_to_packed() returns.
func _advance_swapping(operation: Operation) -> bool:
	var current := get_current_scene()
	var swapped := current != null and current.get_instance_id() != operation.previous_scene_id \
			and current.is_inside_tree() and current.scene_file_path == operation.scene_path
	if swapped:
		var messages := _logger.end_capture(operation.capture_id)
		_emit_result(operation.request_id, {
			"scene": describe_current_scene(),
			"load_ms": _elapsed_ms(operation),
			"engine_messages": messages,
		})
		return true

	if Time.get_ticks_msec() - operation.swap_started_msec > SCENE_SWAP_TIMEOUT_MSEC:
		_fail(operation, ERR_SCENE_FAILED, "Scene %s did not become current within %d ms." % [
			operation.scene_path, SCENE_SWAP_TIMEOUT_MSEC])
		return true
	return false


## Sends the validation result. A scene is valid only if it instantiates, the engine reported
## no error while loading it, and every script in it can be instantiated: a scene whose
## dependency is missing still reports can_instantiate() as true.
func _finish_validation(operation: Operation, packed: PackedScene) -> void:
	var script_errors: Array[Dictionary] = []
	var node_count := 0
	var instantiated := false
	if packed != null:
		var instance := packed.instantiate()
		if instance != null:
			instantiated = true
			node_count = _count_nodes(instance)
			instance.free()
		_collect_script_errors(packed, script_errors, {})

	var errors: Array[Dictionary] = []
	var warnings: Array[Dictionary] = []
	for message: Dictionary in _logger.end_capture(operation.capture_id):
		if message["kind"] == "warning":
			warnings.append(message)
		else:
			errors.append(message)
	errors.append_array(script_errors)
	if packed == null:
		errors.append(_bridge_message("Scene %s failed to load." % operation.scene_path,
				operation.scene_path))
	elif not instantiated:
		errors.append(_bridge_message("Scene %s loaded but could not be instantiated." % [
			operation.scene_path], operation.scene_path))

	_emit_result(operation.request_id, {
		"valid": errors.is_empty(),
		"errors": errors,
		"warnings": warnings,
		"node_count": node_count,
		"duration_ms": _elapsed_ms(operation),
	})


## Appends an error for every script in [param packed] and its instanced sub-scenes that
## cannot be instantiated, such as a script that failed to parse.
func _collect_script_errors(packed: PackedScene, errors: Array[Dictionary],
		visited: Dictionary) -> void:
	if visited.has(packed.get_instance_id()):
		return
	visited[packed.get_instance_id()] = true

	var state := packed.get_state()
	for node_index: int in state.get_node_count():
		var sub_scene := state.get_node_instance(node_index)
		if sub_scene != null:
			_collect_script_errors(sub_scene, errors, visited)
		for property_index: int in state.get_node_property_count(node_index):
			var value: Variant = state.get_node_property_value(node_index, property_index)
			if value is Script and not _script_is_usable(value as Script):
				var script: Script = value
				errors.append(_bridge_message(
						"Script %s on node %s cannot be instantiated; fix its errors." % [
							script.resource_path, state.get_node_path(node_index)],
						script.resource_path, "script"))


## In the editor, GDScript refuses to instantiate scripts that are not tool scripts, so there
## only tool scripts are checked, and parse errors reach the reply through the logger.
func _script_is_usable(script: Script) -> bool:
	if Engine.is_editor_hint() and not script.is_tool():
		return true
	return script.can_instantiate()


func _keep_preloaded(path: String, packed: PackedScene) -> void:
	_preloaded.erase(path)
	_preloaded[path] = packed
	while _preloaded.size() > MAX_PRELOADED_SCENES:
		_preloaded.erase(_preloaded.keys()[0])


func _succeed(operation: Operation, result: Dictionary) -> void:
	_logger.end_capture(operation.capture_id)
	_emit_result(operation.request_id, result)


func _fail(operation: Operation, code: int, message: String) -> void:
	var messages := _logger.end_capture(operation.capture_id)
	_emit_error(operation.request_id, code, message, {"engine_messages": messages})


func _emit_result(request_id: Variant, result: Dictionary) -> void:
	command_finished.emit(request_id, {"result": result})


func _emit_error(request_id: Variant, code: int, message: String,
		data: Dictionary = {}) -> void:
	var error := {"code": code, "message": message}
	if not data.is_empty():
		error["data"] = data
	command_finished.emit(request_id, {"error": error})


static func _bridge_message(message: String, file: String, kind: String = "error") -> Dictionary:
	return {"message": message, "file": file, "line": 0, "function": "", "kind": kind}


static func _elapsed_ms(operation: Operation) -> float:
	return snappedf((Time.get_ticks_usec() - operation.started_usec) / 1000.0, 0.01)


static func _count_nodes(root: Node) -> int:
	var count := 1
	for child: Node in root.get_children():
		count += _count_nodes(child)
	return count
