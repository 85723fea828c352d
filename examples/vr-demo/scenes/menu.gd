extends Control
## Start menu: the Start button opens the main VR scene and Quit ends the game.

## Scene that the Start button opens.
@export_file("*.tscn") var start_scene: String = "res://scenes/main.tscn"

@onready var _start_button: Button = %StartButton
@onready var _quit_button: Button = %QuitButton


func _ready() -> void:
	_start_button.pressed.connect(_on_start_pressed)
	_quit_button.pressed.connect(_on_quit_pressed)
	_start_button.grab_focus()


func _on_start_pressed() -> void:
	var error := get_tree().change_scene_to_file(start_scene)
	if error != OK:
		push_error("menu: cannot open %s: %s" % [start_scene, error_string(error)])


func _on_quit_pressed() -> void:
	get_tree().quit()
