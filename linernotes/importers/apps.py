from django.apps import AppConfig


class ImportersConfig(AppConfig):
    name = "linernotes.importers"
    label = "importers"
    verbose_name = "Imports and exports"

    def ready(self) -> None:
        from linernotes.content.signals import saved_in_admin
        from linernotes.importers.content_files import write_back

        # Admin saves are written back to the content folder, when there is one.
        saved_in_admin.connect(write_back, dispatch_uid="importers.write_back")
